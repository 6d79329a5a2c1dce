using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Configuration;

namespace Tether.Kernel.Network;

/// <summary>
/// <c>tether/wants.log</c> on the git-annex branch: what each repository wants for itself,
/// <c>&lt;uuid&gt; &lt;all|none|["glob", ...]&gt; timestamp=&lt;T&gt;s</c>, the newest line per UUID wins (as uuid.log).
/// Only a repository writes its own line. Lines that do not parse are ignored.
/// </summary>
public static class WantsLog
{
    public const string BranchPath = "tether/wants.log";

    public sealed record Entry(string Uuid, WantedContent Wants, AnnexTimestamp Time)
    {
        public override string ToString() => $"{Uuid} {Wants} timestamp={Time}";
    }

    /// <summary>The newest entry per UUID.</summary>
    public static IReadOnlyDictionary<string, Entry> Current(string? content)
    {
        var result = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var raw in (content ?? "").Split('\n'))
            if (TryParse(raw.TrimEnd('\r'), out var entry) && (!result.TryGetValue(entry.Uuid, out var seen) || seen.Time < entry.Time))
                result[entry.Uuid] = entry;
        return result;
    }

    public static string With(string? content, Entry entry) =>
        string.Concat(Current(content).Values.Where(e => e.Uuid != entry.Uuid).Append(entry)
            .OrderBy(e => e.Uuid, StringComparer.Ordinal).Select(e => e + "\n"));

    private static bool TryParse(string line, out Entry entry)
    {
        entry = null!;
        var first = line.IndexOf(' ');
        var last = line.LastIndexOf(' ');
        if (first <= 0 || last <= first || !line[(last + 1)..].StartsWith("timestamp=", StringComparison.Ordinal)) return false;
        if (!AnnexTimestamp.TryParse(line[(last + 1 + "timestamp=".Length)..], out var time)) return false;
        if (WantedContent.TryParse(line[(first + 1)..last]) is not { } wants) return false;
        entry = new Entry(line[..first], wants, time);
        return true;
    }
}
