using System.Text.RegularExpressions;

namespace Tether.Plugins.Ssh;

/// <summary>
/// A repository reached over ssh, from the URL forms git accepts: <c>ssh://[user@]host[:port]/path</c>
/// (<c>/~/path</c> is home-relative) and <c>[user@]host:path</c> (relative paths are home-relative).
/// </summary>
public sealed partial record SshLocation(string Host, int? Port, string Path)
{
    public static SshLocation Parse(string url)
    {
        var ssh = SshUrl().Match(url);
        if (ssh.Success)
        {
            var path = Uri.UnescapeDataString(ssh.Groups["path"].Value);
            path = path.StartsWith("/~/", StringComparison.Ordinal) ? path[3..] : path == "/~" ? "." : path;
            return new(ssh.Groups["host"].Value, ssh.Groups["port"].Success ? int.Parse(ssh.Groups["port"].Value) : null, path);
        }
        var scp = ScpLike().Match(url);
        if (scp.Success)
        {
            var path = scp.Groups["path"].Value;
            if (path.StartsWith("~/", StringComparison.Ordinal)) path = path[2..];
            return new(scp.Groups["host"].Value, null, path.Length == 0 ? "." : path);
        }
        throw new ArgumentException($"'{url}' is not an ssh location: use ssh://[user@]host[:port]/path or [user@]host:path");
    }

    /// <summary>The host as ssh names it in messages, with the port when there is one.</summary>
    public string Display => Port is { } p ? $"{Host} (port {p})" : Host;

    [GeneratedRegex(@"^(?:git\+)?ssh://(?<host>[^/:]+)(?::(?<port>\d+))?(?<path>/.*)$")]
    private static partial Regex SshUrl();

    [GeneratedRegex(@"^(?<host>(?:[^@/:\s]+@)?[^@/:\s]{2,}):(?<path>.*)$")]
    private static partial Regex ScpLike();
}
