using Tether.Sdk.Keys;

namespace Tether.Kernel.AnnexBranch;

/// <summary>
/// git-annex's per-key URL log (Logs/Web.hs): <c>&lt;hashdirlower&gt;&lt;key&gt;.log.web</c>, lines "&lt;T&gt;s &lt;1|0&gt; &lt;url&gt;",
/// newest line per URL wins. A URL that is no web URL (an external remote's SETURIPRESENT) is logged with a leading ':'.
/// </summary>
public static class UrlLog
{
    private sealed record Line(AnnexTimestamp Time, bool Present, string Url)
    {
        public override string ToString() => $"{Time} {(Present ? '1' : '0')} {Url}";
    }

    public static string PathFor(Key key) => HashDirs.Lower(key) + KeyFileName.Escape(key) + ".log.web";

    public static IReadOnlyList<string> PresentUrls(string? content) =>
        Current(content).Values.Where(l => l.Present).OrderBy(l => l.Time).Select(l => l.Url).ToList();

    public static string With(string? content, string url, bool present, TimeProvider clock)
    {
        var current = Current(content);
        if (current.TryGetValue(url, out var line) && line.Present == present) return Format(current.Values);
        current[url] = new Line(AnnexTimestamp.NowAfter(clock, current.Values.Select(l => l.Time)), present, url);
        return Format(current.Values);
    }

    private static string Format(IEnumerable<Line> lines) => string.Concat(lines.OrderBy(l => l.Time).Select(l => l + "\n"));

    private static Dictionary<string, Line> Current(string? content) =>
        Parse(content).GroupBy(l => l.Url).ToDictionary(g => g.Key, g => g.MaxBy(l => l.Time)!);

    private static IEnumerable<Line> Parse(string? content)
    {
        if (string.IsNullOrEmpty(content)) yield break;
        foreach (var raw in content.Split('\n'))
        {
            var fields = raw.Split(' ', 3);
            if (fields.Length != 3 || fields[1] is not ("0" or "1") || fields[2].Length == 0 || !AnnexTimestamp.TryParse(fields[0], out var time)) continue;
            yield return new Line(time, fields[1] == "1", fields[2]);
        }
    }
}
