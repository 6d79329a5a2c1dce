using System.Text.RegularExpressions;
using Tether.Kernel.Wants;

namespace Tether.Kernel.Configuration;

/// <summary>Another repository this one syncs with.</summary>
public sealed partial class RemoteConfig
{
    public const string NameRule = "allowed: letters, digits, '.', '_' and '-' ('.' and '-' not first; no '..', not ending in '.' or '.lock'), e.g. server or usb-disk_2";

    private readonly string? backend;
    private readonly int? cost;

    public required string Name { get; init; }

    /// <summary>A path, an ssh:// URL or an scp-like user@host:path.</summary>
    public required string Url { get; init; }

    /// <summary>The backend that reaches the remote; inferred from <see cref="Url"/> when not given.</summary>
    public string Backend
    {
        get => backend ?? RemoteDefaults.BackendFor(Url);
        init => backend = value;
    }

    /// <summary>Lower is preferred; defaults by backend.</summary>
    public int Cost
    {
        get => cost ?? RemoteDefaults.CostFor(Backend);
        init => cost = value;
    }

    public ByteRate? BandwidthLimit { get; init; }

    /// <summary>What content this remote is sent (the tree still sends it what it must relay).</summary>
    public WantedContent Wants { get; init; } = WantedContent.All;

    /// <summary>Set for a remote on a removable drive (tether drive add): how to recognise it wherever it is mounted.</summary>
    public DriveConfig? Drive { get; init; }

    /// <summary>
    /// <c>git: bundles</c>: a content-only remote carries the git level too, as git bundles plus a manifest in git-remote-annex's
    /// format (see src/Kernel/ContentRemoteGit). Off by default: the remote then holds every name and the whole history.
    /// </summary>
    public bool GitBundles { get; init; }

    /// <summary>The 1-based line where this remote's entry starts in the config file; 0 if not from a file.</summary>
    public int Line { get; init; }

    /// <summary>A name that is also a valid git remote (ref path component): no "..", not "." or ending in "." or ".lock".</summary>
    public static bool IsValidName(string name) =>
        NamePattern().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal)
        && !name.EndsWith('.') && !name.EndsWith(".lock", StringComparison.Ordinal);

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
