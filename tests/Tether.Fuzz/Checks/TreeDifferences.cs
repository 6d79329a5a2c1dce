namespace Tether.Fuzz.Checks;

/// <summary>For failure messages: the paths on which nodes' work trees disagree, with what each node has there.</summary>
public static class TreeDifferences
{
    public static string Describe(IReadOnlyList<NodeSnapshot> snapshots, int limit = 40)
    {
        var paths = snapshots.SelectMany(s => s.Entries.Keys).Distinct().Order(StringComparer.Ordinal);
        var differing = paths.Where(p => snapshots.Select(s => s.Entries.GetValueOrDefault(p, "(absent)")).Distinct().Count() > 1).ToList();
        if (differing.Count == 0) return "work trees agree";
        var lines = differing.Take(limit).Select(p =>
            $"  {p}: " + string.Join("; ", snapshots.Select(s => $"{s.Node} {s.Entries.GetValueOrDefault(p, "(absent)")}")));
        return $"{differing.Count} path(s) differ:\n{string.Join('\n', lines)}";
    }
}
