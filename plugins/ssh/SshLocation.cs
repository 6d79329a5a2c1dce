using Tether.Platform.Ssh;

namespace Tether.Plugins.Ssh;

/// <summary>
/// A repository reached over ssh, from the URL forms git accepts (<see cref="SshUrl"/>): <c>ssh://[user@]host[:port]/path</c>
/// (<c>/~/path</c> is home-relative) and <c>[user@]host:path</c> (relative paths are home-relative).
/// <see cref="Host"/> is ssh's destination, <c>[user@]host</c>.
/// </summary>
public sealed record SshLocation(string Host, int? Port, string Path)
{
    /// <exception cref="ArgumentException">Not an ssh location, a malformed one, or one with a password in it.</exception>
    public static SshLocation Parse(string url) =>
        SshUrl.TryParse(url) is { } ssh
            ? new(ssh.Destination, ssh.Port, ssh.Path)
            : throw new ArgumentException($"'{url}' is not an ssh location: use ssh://[user@]host[:port]/path or [user@]host:path");

    /// <summary>The host as ssh names it in messages, with the port when there is one.</summary>
    public string Display => Port is { } p ? $"{Host} (port {p})" : Host;
}
