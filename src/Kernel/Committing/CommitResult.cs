using Tether.Kernel.Git;
namespace Tether.Kernel.Committing;

/// <summary>One commit of work-tree changes: what the hooks' "change" event reports.</summary>
public sealed record CommitResult(
    string CommitId,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Modified,
    IReadOnlyList<string> Deleted,
    IReadOnlyList<(string From, string To)> Renamed,
    IReadOnlyList<string> Annexed)
{
    public int ChangeCount => Added.Count + Modified.Count + Deleted.Count + Renamed.Count;

    public string Summary()
    {
        var parts = new List<string>();
        if (Added.Count > 0) parts.Add($"{Added.Count} added");
        if (Modified.Count > 0) parts.Add($"{Modified.Count} modified");
        if (Deleted.Count > 0) parts.Add($"{Deleted.Count} deleted");
        if (Renamed.Count > 0) parts.Add($"{Renamed.Count} renamed");
        return string.Join(", ", parts);
    }

    /// <summary>Paths named per kind in a commit message before "and N more".</summary>
    public const int PathsNamed = 3;

    /// <summary>
    /// The summary with the paths named, for the commit message (so `git log` reads well): "2 deleted (a.txt, b.txt)",
    /// the first <see cref="PathsNamed"/> of each kind then "and N more"; control characters shown as '?', long paths
    /// shortened from the left.
    /// </summary>
    public string Described()
    {
        var parts = new List<string>();
        if (Added.Count > 0) parts.Add($"{Added.Count} added ({Named(Added)})");
        if (Modified.Count > 0) parts.Add($"{Modified.Count} modified ({Named(Modified)})");
        if (Deleted.Count > 0) parts.Add($"{Deleted.Count} deleted ({Named(Deleted)})");
        if (Renamed.Count > 0) parts.Add($"{Renamed.Count} renamed ({Named(Renamed.Select(r => $"{Short(r.From)} -> {Short(r.To)}").ToList(), shorten: false)})");
        return string.Join(", ", parts);
    }

    private static string Named(IReadOnlyList<string> paths, bool shorten = true)
    {
        var named = string.Join(", ", paths.Take(PathsNamed).Select(p => shorten ? Short(p) : p));
        return paths.Count > PathsNamed ? $"{named} and {paths.Count - PathsNamed} more" : named;
    }

    private static string Short(string path)
    {
        var shown = new string(path.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return shown.Length <= 60 ? shown : "..." + shown[^57..];
    }
}
