using Tether.Sdk.Keys;

namespace Tether.Kernel.AnnexBranch;

/// <summary>
/// The per-key location log on the git-annex branch: lines "&lt;T&gt;s &lt;1|0|X&gt; &lt;uuid&gt;";
/// the newest line per UUID wins. Lines that do not parse are ignored, as git-annex does.
/// </summary>
public static class LocationLog
{
    public sealed record Line(AnnexTimestamp Time, LocationStatus Status, string Uuid)
    {
        public override string ToString() => $"{Time} {(char)Status} {Uuid}";
    }

    public static string PathFor(Key key) => HashDirs.Lower(key) + KeyFileName.Escape(key) + ".log";

    /// <summary>The key whose location log lives at this branch path, if it is one.</summary>
    public static bool TryKeyFromPath(string branchPath, out Key key)
    {
        key = null!;
        var parts = branchPath.Split('/');
        return parts.Length == 3 && parts[2].EndsWith(".log", StringComparison.Ordinal)
            && parts[0].Length == 3 && parts[1].Length == 3
            && KeyFileName.TryUnescape(parts[2][..^4], out key);
    }

    public static IEnumerable<Line> Parse(string? content)
    {
        if (string.IsNullOrEmpty(content)) yield break;
        foreach (var raw in content.Split('\n'))
        {
            var fields = raw.Split(' ');
            if (fields.Length != 3 || fields[1].Length != 1 || fields[2].Length == 0) continue;
            if (!AnnexTimestamp.TryParse(fields[0], out var time)) continue;
            if (fields[1][0] is not ('0' or '1' or 'X')) continue;
            yield return new Line(time, (LocationStatus)fields[1][0], fields[2]);
        }
    }

    /// <summary>The newest line for each UUID.</summary>
    public static IReadOnlyDictionary<string, Line> Current(string? content) =>
        Parse(content).GroupBy(l => l.Uuid).ToDictionary(g => g.Key, g => g.MaxBy(l => l.Time)!);

    public static IReadOnlySet<string> PresentUuids(string? content) =>
        Current(content).Values.Where(l => l.Status == LocationStatus.Present).Select(l => l.Uuid).ToHashSet();

    /// <summary>The log after recording a status for a UUID, compacted to one line per UUID, sorted by UUID.</summary>
    public static string WithStatus(string? content, string uuid, LocationStatus status, TimeProvider clock)
    {
        var current = Current(content).ToDictionary();
        var time = AnnexTimestamp.NowAfter(clock, current.Values.Select(l => l.Time));
        current[uuid] = new Line(time, status, uuid);
        return Format(current.Values);
    }

    /// <summary>Compacts any set of lines (e.g. journal plus branch) to the newest per UUID.</summary>
    public static string Compact(string? content) => Format(Current(content).Values);

    private static string Format(IEnumerable<Line> lines) =>
        string.Concat(lines.OrderBy(l => l.Uuid, StringComparer.Ordinal).Select(l => l + "\n"));
}
