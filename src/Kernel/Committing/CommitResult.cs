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
}
