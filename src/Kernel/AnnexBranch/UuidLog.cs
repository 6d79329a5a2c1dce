namespace Tether.Kernel.AnnexBranch;

/// <summary>uuid.log: "&lt;uuid&gt; &lt;description&gt; timestamp=&lt;T&gt;s", newest line per UUID wins.</summary>
public static class UuidLog
{
    public const string FileName = "uuid.log";
    private const string TimestampPrefix = "timestamp=";

    public sealed record Entry(string Uuid, string Description, AnnexTimestamp Time)
    {
        public override string ToString() => $"{Uuid} {Description} {TimestampPrefix}{Time}";
    }

    public static IEnumerable<Entry> Parse(string? content)
    {
        if (string.IsNullOrEmpty(content)) yield break;
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var space = line.IndexOf(' ');
            if (space <= 0) continue;
            var uuid = line[..space];
            var rest = line[(space + 1)..];
            var time = default(AnnexTimestamp);
            var lastSpace = rest.LastIndexOf(' ');
            var lastField = lastSpace >= 0 ? rest[(lastSpace + 1)..] : rest;
            if (lastField.StartsWith(TimestampPrefix, StringComparison.Ordinal)
                && AnnexTimestamp.TryParse(lastField[TimestampPrefix.Length..], out time))
                rest = lastSpace >= 0 ? rest[..lastSpace] : "";
            yield return new Entry(uuid, rest, time);
        }
    }

    public static IReadOnlyDictionary<string, string> Descriptions(string? content) =>
        Parse(content).GroupBy(e => e.Uuid).ToDictionary(g => g.Key, g => g.MaxBy(e => e.Time)!.Description);

    public static string WithDescription(string? content, string uuid, string description, TimeProvider clock)
    {
        var current = Parse(content).GroupBy(e => e.Uuid).ToDictionary(g => g.Key, g => g.MaxBy(e => e.Time)!);
        var time = AnnexTimestamp.NowAfter(clock, current.Values.Select(e => e.Time));
        current[uuid] = new Entry(uuid, description.Replace('\n', ' '), time);
        return string.Concat(current.Values.OrderBy(e => e.Uuid, StringComparer.Ordinal).Select(e => e + "\n"));
    }
}
