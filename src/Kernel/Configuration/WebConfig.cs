namespace Tether.Kernel.Configuration;

/// <summary>The dashboard `tether watch` serves (`web:`; see docs/WEB.md).</summary>
public sealed class WebConfig
{
    public const string DefaultAddress = "127.0.0.1";

    /// <summary>False for <c>web: off</c>: no dashboard.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The IP address it listens on; loopback unless the user sets another.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>The port; null for auto (a port chosen per repository, the next free one if it is taken); 0 for any free port.</summary>
    public int? Port { get; init; }
}
