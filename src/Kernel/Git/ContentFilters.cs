using Tether.Kernel.Repositories;

namespace Tether.Kernel.Git;

/// <summary>
/// Tether stores and writes bytes as they are: no end-of-line conversion, no `ident` expansion, no filter driver but
/// git-annex's `annex` filter of unlocked files (<see cref="AnnexFilter"/> in libgit2; git-annex's own for the system
/// git where it is installed), whatever a peer's `.gitattributes` (or the user's config) says. Both libgit2 (index add, status, checkout) and the system git
/// (`update-index`) take attributes from `.git/info/attributes` before any `.gitattributes` in the tree, and a
/// later line there wins over an earlier one, so one block kept last in that file turns every content filter off
/// for every path, in both directions. libgit2 cannot unregister its built-in filters, and git 2.39 has no
/// `--attr-source`; this is the one switch both honour. Checked before every commit and merge.
/// </summary>
public static class ContentFilters
{
    private const string Marker = "# tether: content is stored byte for byte (no eol conversion, ident or filter driver); keep this block last";

    /// <summary>`-text` also disables core.autocrlf and `eol`; `-filter` every driver, then the annex filter is set again.</summary>
    private static readonly string[] Block =
    [
        Marker,
        "* -text -crlf -eol -ident -filter -working-tree-encoding",
        "* filter=annex",
    ];

    /// <summary>
    /// Makes sure the block is the last thing in `.git/info/attributes` (appended, or moved there), and that libgit2 in this
    /// process has the annex filter.
    /// </summary>
    public static void EnsureOnlyAnnexFilter(AnnexRepository repo)
    {
        _ = AnnexFilter.Registered;
        var file = Path.Combine(repo.GitDir, "info", "attributes");
        var lines = File.Exists(file) ? File.ReadAllLines(file).ToList() : [];
        if (EndsWithBlock(lines)) return;
        var others = lines.Where(l => !Block.Contains(l)).ToList();
        while (others.Count > 0 && others[^1].Length == 0) others.RemoveAt(others.Count - 1);
        repo.CreateFolderInGitDir(Path.GetDirectoryName(file)!);
        var tmp = file + ".tether-tmp";
        File.WriteAllLines(tmp, [.. others, .. Block]);
        File.Move(tmp, file, overwrite: true);
    }

    private static bool EndsWithBlock(List<string> lines)
    {
        var end = lines.Count;
        while (end > 0 && lines[end - 1].Length == 0) end--;
        return end >= Block.Length && lines.Skip(end - Block.Length).Take(Block.Length).SequenceEqual(Block);
    }
}
