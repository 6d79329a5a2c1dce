using Tether.Sdk.Keys;

namespace Tether.Kernel.AnnexBranch;

/// <summary>
/// git-annex's per-key remote state (SETSTATE/GETSTATE of external special remotes, Logs/RemoteState.hs):
/// <c>&lt;hashdirlower&gt;&lt;key&gt;.log.rmt</c>, lines "&lt;T&gt;s &lt;uuid&gt; &lt;state&gt;" (the state may hold spaces),
/// the newest line per UUID wins.
/// </summary>
public static class RemoteStateLog
{
    private sealed record Line(AnnexTimestamp Time, string Uuid, string State)
    {
        public override string ToString() => $"{Time} {Uuid} {State}";
    }

    public static string PathFor(Key key) => HashDirs.Lower(key) + KeyFileName.Escape(key) + ".log.rmt";

    public static string? StateOf(string? content, string uuid) =>
        Current(content).TryGetValue(uuid, out var line) ? line.State : null;

    public static string With(string? content, string uuid, string state, TimeProvider clock)
    {
        var current = Current(content).ToDictionary();
        current[uuid] = new Line(AnnexTimestamp.NowAfter(clock, current.Values.Select(l => l.Time)), uuid, state.Replace('\n', ' '));
        return string.Concat(current.Values.OrderBy(l => l.Uuid, StringComparer.Ordinal).Select(l => l + "\n"));
    }

    private static Dictionary<string, Line> Current(string? content) =>
        Parse(content).GroupBy(l => l.Uuid).ToDictionary(g => g.Key, g => g.MaxBy(l => l.Time)!);

    private static IEnumerable<Line> Parse(string? content)
    {
        if (string.IsNullOrEmpty(content)) yield break;
        foreach (var raw in content.Split('\n'))
        {
            var fields = raw.Split(' ', 3);
            if (fields.Length < 2 || fields[1].Length == 0 || !AnnexTimestamp.TryParse(fields[0], out var time)) continue;
            yield return new Line(time, fields[1], fields.Length == 3 ? fields[2] : "");
        }
    }
}
