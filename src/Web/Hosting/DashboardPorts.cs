using System.Security.Cryptography;
using System.Text;
using Tether.Kernel.Configuration;

namespace Tether.Web.Hosting;

/// <summary>
/// Which ports to try, in order. <c>port: auto</c> (the default): a port of this repository's own in 47000-47999 (from
/// its .git path, so a bookmark keeps working), then the nine after it, then any free port. A set port is tried alone.
/// </summary>
public static class DashboardPorts
{
    public const int First = 47000;
    public const int Count = 1000;
    public const int Fallbacks = 9;

    public static IReadOnlyList<int> Candidates(WebConfig config, string gitDir)
    {
        if (config.Port is { } fixedPort) return [fixedPort];
        int own = DefaultFor(gitDir);
        return [.. Enumerable.Range(0, Fallbacks + 1).Select(i => First + (own - First + i) % Count), 0];
    }

    public static int DefaultFor(string gitDir) =>
        First + (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(gitDir)))) % Count);
}
