using Tether.Kernel.Configuration;
namespace Tether.Kernel.Wants;

/// <summary>
/// Which annexed content a repository wants: <c>all</c> (the default), <c>none</c> (git only), or the files
/// matching a list of globs (e.g. <c>["photos/**"]</c>; the same glob rules as annex.largefiles).
/// </summary>
public sealed class WantedContent
{
    public const string Expected = "expected all, none, or a list of globs such as [\"photos/**\", \"*.pdf\"]";

    private readonly IReadOnlyList<GlobPattern>? _globs;

    private WantedContent(IReadOnlyList<GlobPattern>? globs, bool none)
    {
        _globs = globs;
        IsNone = none;
    }

    public static WantedContent All { get; } = new(null, false);
    public static WantedContent None { get; } = new(null, true);
    public static WantedContent Matching(IEnumerable<string> globs) => new(globs.Select(g => new GlobPattern(g)).ToList(), false);

    public bool IsAll => _globs is null && !IsNone;
    public bool IsNone { get; }

    /// <summary>Does the repository want the content of the file at this repository-relative path?</summary>
    public bool Wants(string path) => !IsNone && (_globs is null || _globs.Any(g => g.IsMatch(path)));

    /// <summary>The inverse of <see cref="ToString"/>: all, none, or a JSON list of globs. Null if it does not parse.</summary>
    public static WantedContent? TryParse(string text)
    {
        if (text == "all") return All;
        if (text == "none") return None;
        try { return System.Text.Json.JsonSerializer.Deserialize<string[]>(text) is { } globs ? Matching(globs) : null; }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException) { return null; }
    }

    public override string ToString() =>
        IsNone ? "none" : _globs is null ? "all" : "[" + string.Join(", ", _globs.Select(g => System.Text.Json.JsonSerializer.Serialize(g.Pattern))) + "]";
}
