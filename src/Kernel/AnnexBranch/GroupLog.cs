namespace Tether.Kernel.AnnexBranch;

/// <summary>
/// group.log, as <c>git annex group</c> writes it: "&lt;uuid&gt; &lt;group&gt; &lt;group&gt;... timestamp=&lt;T&gt;s",
/// newest line per UUID wins (uuid.log's format). Tether reads the <c>transfer</c> group (a cloud remote that only
/// relays content) and the <c>client</c> group (git-annex's assistants put their repositories there).
/// </summary>
public static class GroupLog
{
    public const string FileName = "group.log";
    public const string Transfer = "transfer";
    public const string Client = "client";
    /// <summary>A peer may write anything here: a line with more groups than this is ignored.</summary>
    private const int MaxGroups = 64;

    /// <summary>The UUIDs whose newest line names <paramref name="group"/>.</summary>
    public static IReadOnlySet<string> Members(string? content, string group) =>
        Current(content).Where(e => e.Value.Contains(group)).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>The log with <paramref name="group"/> added to the UUID's groups (a line newer than any seen).</summary>
    public static string WithGroup(string? content, string uuid, string group, TimeProvider clock)
    {
        var groups = Current(content).GetValueOrDefault(uuid) is { } current ? new SortedSet<string>(current, StringComparer.Ordinal) : new SortedSet<string>(StringComparer.Ordinal);
        groups.Add(group);
        return UuidLog.WithDescription(content, uuid, string.Join(' ', groups), clock);
    }

    private static Dictionary<string, IReadOnlySet<string>> Current(string? content) =>
        UuidLog.Parse(content).GroupBy(e => e.Uuid).ToDictionary(g => g.Key, g => Groups(g.MaxBy(e => e.Time)!.Description), StringComparer.Ordinal);

    private static IReadOnlySet<string> Groups(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > MaxGroups ? new HashSet<string>() : words.ToHashSet(StringComparer.Ordinal);
    }
}
