using System.Security.Cryptography;
using System.Text;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Control;

/// <summary>
/// Where a repository's control socket lives: .git/tether/control.sock, in a 0700 folder so only the
/// owning user reaches it. A Unix socket path is limited to 107 bytes; for deeper repositories the socket
/// goes to a 0700 per-user folder under the runtime dir instead, named by a hash of the repository path.
/// </summary>
public static class ControlSocketPath
{
    private const int MaxSocketPath = 100;

    public static string For(AnnexRepository repo)
    {
        var inRepo = Path.Combine(repo.StateDir, "control.sock");
        if (Encoding.UTF8.GetByteCount(inRepo) <= MaxSocketPath) return inRepo;
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), $"tether-{Environment.UserName}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repo.GitDir)))[..24];
        return Path.Combine(runtime, "tether", $"{hash}.sock");
    }

    /// <summary>Creates the socket's folder readable by its owner only.</summary>
    public static void PrepareFolder(string socketPath)
    {
        var folder = Path.GetDirectoryName(socketPath)!;
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
