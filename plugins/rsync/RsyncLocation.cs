using System.Text.RegularExpressions;

namespace Tether.Plugins.Rsync;

/// <summary>Where an rsync remote keeps content: a local folder, or <c>[user@]host:path</c> reached over ssh.</summary>
public sealed partial record RsyncLocation(string? Host, int? Port, string Root)
{
    public bool IsLocal => Host is null;

    /// <summary>Accepts a path, <c>file://</c>, <c>[user@]host:path</c> and <c>ssh://[user@]host[:port]/path</c>.</summary>
    public static RsyncLocation Parse(string url)
    {
        if (url.StartsWith("file://", StringComparison.Ordinal)) return new(null, null, Trim(url["file://".Length..]));
        var ssh = SshUrl().Match(url);
        if (ssh.Success)
            return new(ssh.Groups["host"].Value, ssh.Groups["port"].Success ? int.Parse(ssh.Groups["port"].Value) : null, Trim(Uri.UnescapeDataString(ssh.Groups["path"].Value)));
        if (url.StartsWith("rsync://", StringComparison.Ordinal))
            throw new ArgumentException($"rsync daemon URLs ({url}) are not supported: use host:path (over ssh) or a local path");
        var scp = ScpLike().Match(url);
        if (scp.Success) return new(scp.Groups["host"].Value, null, Trim(scp.Groups["path"].Value));
        return new(null, null, Trim(Path.GetFullPath(url)));
    }

    /// <summary>An rsync argument naming <paramref name="relative"/> under the root.</summary>
    public string Argument(string relative) => IsLocal ? Path.Combine(Root, relative) : $"{Host}:{Join(relative)}";

    /// <summary>The remote path of <paramref name="relative"/> (for ssh commands).</summary>
    public string Join(string relative) => Root.Length == 0 ? relative : Root.TrimEnd('/') + "/" + relative;

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    [GeneratedRegex(@"^ssh://(?<host>[^/:]+)(?::(?<port>\d+))?/(?<path>.*)$")]
    private static partial Regex SshUrl();

    // A host of two or more characters keeps Windows drive letters out; a path with '/' before ':' is local.
    [GeneratedRegex(@"^(?<host>(?:[^@/:\s]+@)?[^@/:\s]{2,}):(?<path>.*)$")]
    private static partial Regex ScpLike();
}
