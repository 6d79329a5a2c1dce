using System.Globalization;
using System.Text.RegularExpressions;

namespace Tether.Plugins.External;

/// <summary>
/// Which helper program serves a remote and the bounds Tether holds it to. The bounds are local settings
/// (<c>tether-request-timeout</c>, <c>tether-stall-timeout</c> in seconds, <c>tether-processes</c> (parallel requests), and
/// <c>tether-program</c>: the helper's absolute path instead of <c>git-annex-remote-TYPE</c> on PATH), never recorded
/// in remote.log and never taken from it (the kernel drops them from what peers wrote).
/// </summary>
internal sealed partial record HelperOptions(string RemoteName, string ExternalType)
{
    public const string LocalSettingPrefix = "tether-";

    /// <summary>A request that moves no content (PREPARE, CHECKPRESENT, REMOVE...) must be answered within this.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A transfer is given up when for this long nothing moved: no PROGRESS, no growth of the file, no I/O by the helper's processes.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many requests may run at once for this remote (parallel transfers): each on a process of its own, or, when the
    /// helper speaks ASYNC, each as a job of its one process.
    /// </summary>
    public int MaxParallel { get; init; } = 3;

    /// <summary>The absolute path of the helper when a local setting names one; else it is looked up on PATH.</summary>
    public string? ProgramPath { get; init; }

    public string Program => ProgramPath ?? "git-annex-remote-" + ExternalType;

    /// <summary>How messages name this remote: <c>remote 'cloud' (git-annex-remote-rclone)</c>.</summary>
    public string Describe => $"remote '{RemoteName}' ({Program})";

    /// <exception cref="ArgumentException">No externaltype, one that is not a plain program-name part, or a bad bound.</exception>
    public static HelperOptions From(string remoteName, string url, IReadOnlyDictionary<string, string> settings)
    {
        var recorded = settings.GetValueOrDefault("externaltype") is { Length: > 0 } given ? given : null;
        var type = TypeFromUrl(url) ?? recorded;
        if (recorded is not null && type != recorded)
            throw new ArgumentException($"remote '{remoteName}': the config says external://{type}, but remote.log records externaltype={ProtocolLine.Printable(recorded)}; " +
                                        "not started (fix the url in the config if the remote.log one is meant)");
        if (type is null)
            throw new ArgumentException($"remote '{remoteName}': no external type: give the url as external://TYPE (e.g. external://rclone for git-annex-remote-rclone)");
        if (!TypePattern().IsMatch(type))
            throw new ArgumentException($"remote '{remoteName}': '{ProtocolLine.Printable(type)}' is no external type (letters, digits, '.', '_', '-' and '+' only)");
        return new HelperOptions(remoteName, type)
        {
            RequestTimeout = Seconds(settings, "tether-request-timeout") ?? TimeSpan.FromMinutes(5),
            StallTimeout = Seconds(settings, "tether-stall-timeout") ?? TimeSpan.FromMinutes(10),
            MaxParallel = Count(settings, "tether-processes") ?? 3,
            ProgramPath = settings.GetValueOrDefault("tether-program") is { } path
                ? Path.IsPathRooted(path) ? path : throw new ArgumentException($"tether-program={path}: give an absolute path")
                : null,
        };
    }

    /// <summary>The type named by an <c>external://TYPE</c> url, or null.</summary>
    public static string? TypeFromUrl(string url) =>
        url.StartsWith("external://", StringComparison.OrdinalIgnoreCase) ? url["external://".Length..].TrimEnd('/') : null;

    private static TimeSpan? Seconds(IReadOnlyDictionary<string, string> settings, string name)
    {
        if (!settings.TryGetValue(name, out var text)) return null;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || seconds > 86400)
            throw new ArgumentException($"{name}={text}: give a number of seconds, more than 0 and at most 86400");
        return TimeSpan.FromSeconds(seconds);
    }

    private static int? Count(IReadOnlyDictionary<string, string> settings, string name)
    {
        if (!settings.TryGetValue(name, out var text)) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 64)
            throw new ArgumentException($"{name}={text}: give a number from 1 to 64");
        return count;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")]
    private static partial Regex TypePattern();
}
