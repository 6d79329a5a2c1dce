using System.Globalization;
using Tether.Kernel.AnnexBranch;

namespace Tether.Kernel.Topology;

/// <summary>
/// <c>tether/topology.log</c> on the git-annex branch (a file git-annex does not know, so it leaves it alone
/// and only union-merges it): one line per (repository, remote) pair,
/// <c>&lt;repo-uuid&gt; &lt;remote-uuid&gt; name=&lt;remote&gt; backend=&lt;type&gt; cost=&lt;n&gt; lastreached=&lt;unix-seconds&gt; [removed=1] timestamp=&lt;T&gt;s</c>.
/// Only a repository writes its own lines. Union merges may leave several lines for a pair: the newest
/// timestamp wins, and each write compacts the file to one line per pair. Lines that do not parse are ignored.
/// </summary>
public static class TopologyLog
{
    public const string BranchPath = "tether/topology.log";

    public static IEnumerable<TopologyRecord> Parse(string? content)
    {
        if (string.IsNullOrEmpty(content)) yield break;
        foreach (var raw in content.Split('\n'))
            if (TryParseLine(raw.TrimEnd('\r'), out var record)) yield return record;
    }

    /// <summary>The newest line for each (repository, remote) pair, ordered by both UUIDs.</summary>
    public static IReadOnlyList<TopologyRecord> Current(string? content) =>
        Parse(content).GroupBy(r => (r.RepoUuid, r.RemoteUuid)).Select(g => g.MaxBy(r => r.Time)!)
            .OrderBy(r => r.RepoUuid, StringComparer.Ordinal).ThenBy(r => r.RemoteUuid, StringComparer.Ordinal).ToList();

    /// <summary>The log with this pair's line replaced, compacted to one line per pair.</summary>
    public static string With(string? content, TopologyRecord record) =>
        Format(Current(content).Where(r => (r.RepoUuid, r.RemoteUuid) != (record.RepoUuid, record.RemoteUuid)).Append(record));

    public static string Format(IEnumerable<TopologyRecord> records) =>
        string.Concat(records.OrderBy(r => r.RepoUuid, StringComparer.Ordinal).ThenBy(r => r.RemoteUuid, StringComparer.Ordinal)
            .Select(r => r + "\n"));

    private static bool TryParseLine(string line, out TopologyRecord record)
    {
        record = null!;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3) return false;
        var values = fields.Skip(2).Select(f => f.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        if (!values.TryGetValue("timestamp", out var ts) || !AnnexTimestamp.TryParse(ts, out var time)) return false;
        if (!values.TryGetValue("cost", out var c) || !int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cost)) return false;
        var reached = values.TryGetValue("lastreached", out var lr) && long.TryParse(lr, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix)
            ? DateTimeOffset.FromUnixTimeSeconds(unix) : DateTimeOffset.UnixEpoch;
        record = new TopologyRecord(fields[0], fields[1], values.GetValueOrDefault("name", fields[1]),
            values.GetValueOrDefault("backend", "unknown"), cost, reached, time, values.GetValueOrDefault("removed") == "1");
        return true;
    }
}
