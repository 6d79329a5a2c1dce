using Tether.Fuzz.Cluster;
using Tether.Fuzz.Driver;
using Tether.Kernel.Annex;

namespace Tether.Fuzz.Checks;

/// <summary>
/// One node's state: its HEAD tree id, whether git status is clean, and every work-tree entry as "link KEY" or
/// "file HASH", with whether each annex link's content is present.
/// </summary>
public sealed record NodeSnapshot(string Node, string HeadTree, bool Clean, SortedDictionary<string, string> Entries, IReadOnlyList<string> MissingContent)
{
    public static async Task<NodeSnapshot> TakeAsync(FuzzNode node)
    {
        var (code, tree) = await GitOutput.RunAsync(node.Path, "rev-parse", "HEAD^{tree}");
        var (statusCode, status) = await GitOutput.RunAsync(node.Path, "status", "--porcelain", "--untracked-files=all");
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var relative in WorkTreeListing.Files(node.Path))
        {
            var absolute = Path.Combine(node.Path, relative);
            if (new FileInfo(absolute).LinkTarget is { } target)
            {
                entries[relative] = AnnexLink.TryParseTarget(target, out var key) ? $"link {key}" : $"symlink {target}";
                // File.Exists is true for a dangling symlink: check the object the link names, from the link's folder.
                if (!File.Exists(Path.Combine(Path.GetDirectoryName(absolute)!, target))) missing.Add(relative);
            }
            else entries[relative] = $"file {EntryContents.HashOf(absolute)}";
        }
        return new NodeSnapshot(node.Name, code == 0 ? tree.Trim() : "(no HEAD)", statusCode == 0 && status.Trim().Length == 0, entries, missing);
    }

    /// <summary>The content hashes this tree holds (files' SHA-256, links' key hashes).</summary>
    public HashSet<string> Contents(string root) =>
        Entries.Keys.Select(p => EntryContents.HashOf(Path.Combine(root, p))).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
