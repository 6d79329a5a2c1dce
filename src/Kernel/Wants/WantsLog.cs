using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Configuration;

namespace Tether.Kernel.Wants;

/// <summary>
/// <c>tether/wants.log</c> on the git-annex branch: what each repository wants for itself,
/// <c>&lt;uuid&gt; &lt;all|none|["glob", ...]&gt; timestamp=&lt;T&gt;s</c>, the newest line per UUID wins (as uuid.log).
/// Only a repository writes its own line. Lines that do not parse are ignored; a line with more than
/// <see cref="MaxGlobs"/> globs or a glob longer than <see cref="MaxGlobLength"/> (any peer can write this file) is
/// ignored with a warning.
/// </summary>
public static class WantsLog
{
    public const string BranchPath = "tether/wants.log";
    public const int MaxGlobs = 100;
    public const int MaxGlobLength = 1024;

    public sealed record Entry(string Uuid, WantedContent Wants, AnnexTimestamp Time)
    {
        public override string ToString() => $"{Uuid} {Wants} timestamp={Time}";
    }

    /// <summary>The newest entry per UUID.</summary>
    public static IReadOnlyDictionary<string, Entry> Current(string? content, ILogger? log = null)
    {
        var result = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in (content ?? "").Split('\n'))
        {
            lineNumber++;
            if (TryParse(raw.TrimEnd('\r'), lineNumber, log ?? NullLogger.Instance, out var entry)
                && (!result.TryGetValue(entry.Uuid, out var seen) || seen.Time < entry.Time))
                result[entry.Uuid] = entry;
        }
        return result;
    }

    public static string With(string? content, Entry entry) =>
        string.Concat(Current(content).Values.Where(e => e.Uuid != entry.Uuid).Append(entry)
            .OrderBy(e => e.Uuid, StringComparer.Ordinal).Select(e => e + "\n"));

    private static bool TryParse(string line, int lineNumber, ILogger log, out Entry entry)
    {
        entry = null!;
        var first = line.IndexOf(' ');
        var last = line.LastIndexOf(' ');
        if (first <= 0 || last <= first || !line[(last + 1)..].StartsWith("timestamp=", StringComparison.Ordinal)) return false;
        if (!AnnexTimestamp.TryParse(line[(last + 1 + "timestamp=".Length)..], out var time)) return false;
        var uuid = line[..first];
        if (ParseWants(line[(first + 1)..last], out var tooBig) is not { } wants)
        {
            if (tooBig is not null)
                log.LogWarning("{File} line {Line}: the wants of {Uuid} ignored: {Why}", BranchPath, lineNumber, uuid, tooBig);
            return false;
        }
        entry = new Entry(uuid, wants, time);
        return true;
    }

    /// <summary>The wants, or null when they do not parse or exceed the bounds (then <paramref name="tooBig"/> says which).</summary>
    private static WantedContent? ParseWants(string text, out string? tooBig)
    {
        tooBig = null;
        if (text is "all" or "none") return WantedContent.TryParse(text);
        string[]? globs;
        try { globs = System.Text.Json.JsonSerializer.Deserialize<string[]>(text); }
        catch (System.Text.Json.JsonException) { return null; }
        if (globs is null) return null;
        if (globs.Length > MaxGlobs) tooBig = $"{globs.Length} globs (at most {MaxGlobs})";
        else if (globs.FirstOrDefault(g => g is null || g.Length > MaxGlobLength) is { } longGlob)
            tooBig = $"a glob of {longGlob.Length} characters (at most {MaxGlobLength})";
        if (tooBig is not null || globs.Any(g => g is null)) return null;
        try { return WantedContent.Matching(globs); }
        catch (ArgumentException) { return null; }
    }
}
