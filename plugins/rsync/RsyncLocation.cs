using Tether.Platform.Ssh;

namespace Tether.Plugins.Rsync;

/// <summary>
/// Where an rsync remote keeps content: a local folder, or <c>[user@]host:path</c> reached over ssh.
/// <see cref="Host"/> is ssh's destination (<c>[user@]host</c>); <see cref="RsyncHost"/> the same for rsync's
/// <c>HOST:path</c> arguments (an IPv6 address in brackets).
/// </summary>
public sealed record RsyncLocation(string? Host, int? Port, string Root, string? RsyncHost = null)
{
    public bool IsLocal => Host is null;

    /// <summary>Accepts a path, <c>file://</c>, <c>[user@]host:path</c> and <c>ssh://[user@]host[:port]/path</c> (<see cref="SshUrl"/>).</summary>
    /// <exception cref="ArgumentException">An rsync daemon URL, a malformed ssh URL, or one with a password in it.</exception>
    public static RsyncLocation Parse(string url)
    {
        if (url.StartsWith("file://", StringComparison.Ordinal)) return new(null, null, Trim(url["file://".Length..]));
        if (url.StartsWith("rsync://", StringComparison.Ordinal))
            throw new ArgumentException($"rsync daemon URLs ({url}) are not supported: use host:path (over ssh) or a local path");
        if (SshUrl.TryParse(url) is { } ssh)
            return new(ssh.Destination, ssh.Port, Trim(ssh.Path == "." ? "" : ssh.Path), ssh.BracketedDestination);
        return new(null, null, Trim(Path.GetFullPath(url)));
    }

    /// <summary>An rsync argument naming <paramref name="relative"/> under the root.</summary>
    public string Argument(string relative) => IsLocal ? Path.Combine(Root, relative) : $"{RsyncHost ?? Host}:{Join(relative)}";

    /// <summary>The remote path of <paramref name="relative"/> (for ssh commands).</summary>
    public string Join(string relative) => Root.Length == 0 ? relative : Root.TrimEnd('/') + "/" + relative;

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
