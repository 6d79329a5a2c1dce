using System.Net;

namespace Tether.Web.Security;

/// <summary>
/// Which Host (and Origin) values the dashboard answers: its port, and a name that cannot be rebound. On loopback
/// (the default) only 127.0.0.1, [::1] and localhost; listening elsewhere, also any IP literal and this machine's
/// name. A page on another site that points a name of its own at us (DNS rebinding) sends that name, and is refused.
/// </summary>
public sealed class AllowedHosts(IPAddress listenAddress)
{
    private volatile int _port = -1;

    /// <summary>The port the server listens on, set once it does (with port 0 it is known only then); -1 before: nothing is allowed.</summary>
    public int Port
    {
        get => _port;
        set => _port = value;
    }

    public bool IsAllowed(string? hostHeader)
    {
        if (string.IsNullOrEmpty(hostHeader)) return false;
        var (host, portText) = Split(hostHeader);
        if (portText is null || !int.TryParse(portText, out var p) || p != Port) return false;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
            return IPAddress.IsLoopback(ip) || (!IPAddress.IsLoopback(listenAddress) && (ip.Equals(listenAddress) || IsAny(listenAddress)));
        return !IPAddress.IsLoopback(listenAddress) && host.Equals(Dns.GetHostName(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An Origin header is accepted when it is this dashboard itself, over http.</summary>
    public bool IsAllowedOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/"
        && IsAllowed(uri.Authority);

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static (string Host, string? Port) Split(string authority)
    {
        int colon = authority.LastIndexOf(':');
        if (colon < 0 || authority.EndsWith(']')) return (authority, null);
        return (authority[..colon], authority[(colon + 1)..]);
    }
}
