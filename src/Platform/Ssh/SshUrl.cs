using System.Globalization;

namespace Tether.Platform.Ssh;

/// <summary>
/// An ssh remote's address, from the forms git accepts: <c>ssh://[user@]host[:port]/path</c> (also <c>git+ssh://</c>,
/// <c>ssh+git://</c>; <c>/~/path</c> is home-relative) and scp-like <c>[user@]host:path</c> (a relative path is
/// home-relative); an IPv6 host in brackets, <c>[::1]</c>. A password (<c>user:pw@</c>) is refused: ssh never takes
/// one from a URL, and reading it as something else would send the connection elsewhere.
/// Used by the kernel (backend inference, config check) and by plugins/ssh and plugins/rsync.
/// </summary>
public sealed record SshUrl(string? User, string Host, int? Port, string Path)
{
    private static readonly string[] Schemes = ["ssh://", "git+ssh://", "ssh+git://"];

    /// <summary>What ssh takes as its destination: <c>user@host</c>, the host without brackets.</summary>
    public string Destination => User is null ? Host : $"{User}@{Host}";

    /// <summary>The destination for an scp-like argument (rsync's <c>HOST:path</c>): an IPv6 host in brackets.</summary>
    public string BracketedDestination => (User is null ? "" : User + "@") + (Host.Contains(':') ? $"[{Host}]" : Host);

    /// <summary>Whether <paramref name="url"/> is written as an ssh:// URL (what <see cref="Parse"/> then requires to be valid).</summary>
    public static bool HasSshScheme(string url) => Schemes.Any(s => url.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>The address, or null when <paramref name="url"/> is neither form (a local path, another scheme).</summary>
    /// <exception cref="ArgumentException">It is an ssh URL but a malformed one, or it carries a password.</exception>
    public static SshUrl? TryParse(string url)
    {
        if (Schemes.FirstOrDefault(s => url.StartsWith(s, StringComparison.OrdinalIgnoreCase)) is { } scheme)
            return ParseUrl(url, url[scheme.Length..]);
        return url.Contains("://", StringComparison.Ordinal) ? null : ParseScpLike(url);
    }

    private static SshUrl ParseUrl(string url, string rest)
    {
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : Uri.UnescapeDataString(rest[slash..]);
        var (user, hostPort) = SplitUser(url, authority);
        var (host, port) = SplitPort(url, hostPort);
        if (path.Length == 0) throw Malformed(url, "it has no path after the host");
        path = path.StartsWith("/~/", StringComparison.Ordinal) ? path[3..] : path == "/~" ? "." : path;
        return new SshUrl(user, host, port, path.Length == 0 ? "." : path);
    }

    /// <summary><c>[user@]host:path</c>; null for what is a local path (a '/' before the first ':', a one-letter drive).</summary>
    private static SshUrl? ParseScpLike(string url)
    {
        var bracket = url.IndexOf('[');
        var at = url.IndexOf('@');
        int colon;
        if (bracket >= 0 && (bracket == 0 || bracket == at + 1) && url.IndexOf(']', bracket) is var close and > 0)
            colon = close + 1 < url.Length && url[close + 1] == ':' ? close + 1 : -1;
        else
            colon = url.IndexOf(':');
        if (colon < 0 || url[..colon].Contains('/') || url[..colon].Any(char.IsWhiteSpace)) return null;
        var (user, hostText) = SplitUser(url, url[..colon]);
        var host = Unbracket(url, hostText);
        if (host.Length < 2 && !hostText.StartsWith('[')) return null; // C:\... is a Windows path, not host C
        var path = url[(colon + 1)..];
        if (path.StartsWith("~/", StringComparison.Ordinal)) path = path[2..];
        return new SshUrl(user, host, null, path.Length == 0 ? "." : path);
    }

    private static (string? User, string HostPart) SplitUser(string url, string authority)
    {
        var at = authority.LastIndexOf('@');
        if (at < 0) return (null, authority);
        var user = authority[..at];
        if (user.Contains(':'))
            throw new ArgumentException($"'{Redacted(url)}' has a password in it: ssh never takes one from a URL; remove it " +
                                        "(ssh://user@host/path) and log in with a key (ssh-agent or IdentityFile in ~/.ssh/config)");
        if (user.Length == 0 || user.Contains('@') || user.StartsWith('-'))
            throw Malformed(url, "its user name is empty, has an '@' or starts with '-' (ssh would read it as an option)");
        return (Uri.UnescapeDataString(user), authority[(at + 1)..]);
    }

    private static (string Host, int? Port) SplitPort(string url, string hostPort)
    {
        var close = hostPort.StartsWith('[') ? hostPort.IndexOf(']') : -1;
        var colon = hostPort.IndexOf(':', close < 0 ? 0 : close);
        if (hostPort.StartsWith('[') && close < 0) throw Malformed(url, "its '[' host has no ']'");
        if (colon < 0) return (Unbracket(url, hostPort), null);
        var portText = hostPort[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw Malformed(url, $"'{portText}' is not a port number (1-65535)");
        return (Unbracket(url, hostPort[..colon]), port);
    }

    private static string Unbracket(string url, string host)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (bare.Length == 0 || bare.StartsWith('-') || bare.Any(c => char.IsWhiteSpace(c) || c is '/' or '[' or ']' or '@') || (bare.Contains(':') && bare == host))
            throw Malformed(url, $"'{host}' is not a host name (one starting with '-' would be read as an ssh option; an IPv6 address goes in brackets: [::1])");
        return bare;
    }

    private static ArgumentException Malformed(string url, string why) =>
        new($"'{Redacted(url)}' is not a valid ssh location: {why}; use ssh://[user@]host[:port]/path or [user@]host:path");

    /// <summary>The URL with any password replaced, so it never reaches a message or a log.</summary>
    private static string Redacted(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) is var s and >= 0 ? s + 3 : 0;
        var end = url.IndexOf('/', start) is var e and >= 0 ? e : url.Length;
        var at = url.LastIndexOf('@', end - 1, end - start);
        var colon = at < 0 ? -1 : url.IndexOf(':', start, at - start);
        return colon < 0 ? url : url[..(colon + 1)] + "***" + url[at..];
    }
}
