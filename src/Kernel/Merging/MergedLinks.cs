using LibGit2Sharp;
using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>
/// A merge can put an annex link at another folder depth than the one its blob was made for: one side moved a file
/// or folder, the other changed the file at its old place, and git's rename detection applies the change (or keeps it
/// as a variant) at the new place, link text unchanged, so it points nowhere. Found by the fuzz (seed 20261125): the
/// content looked missing on every node. Every link the merge added or changed is repointed for its place before the
/// merge is committed.
/// </summary>
public static class MergedLinks
{
    /// <summary>The merged tree with every link it adds or changes (against HEAD's tree) repointed for its place.</summary>
    public static Tree RepointIn(Repository git, Tree head, Tree merged)
    {
        TreeDefinition? repointed = null;
        foreach (var change in git.Diff.Compare<TreeChanges>(head, merged))
        {
            if (change.Status == ChangeKind.Deleted || change.Mode != Mode.SymbolicLink) continue;
            var target = git.Lookup<Blob>(change.Oid).GetContentText();
            if (!AnnexLink.TryParseTarget(target, out var key)) continue;
            var expected = AnnexLink.TargetFor(change.Path, key);
            if (target == expected) continue;
            using var text = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(expected));
            (repointed ??= TreeDefinition.From(merged)).Add(change.Path, git.ObjectDatabase.CreateBlob(text), Mode.SymbolicLink);
        }
        return repointed is null ? merged : git.ObjectDatabase.CreateTree(repointed);
    }

    /// <summary>Repoints (work tree and index) the links that differ from HEAD; returns how many.</summary>
    public static int Repoint(Repository git, AnnexRepository repo, Commit head)
    {
        var repointed = 0;
        foreach (var change in git.Diff.Compare<TreeChanges>(head.Tree, DiffTargets.Index))
        {
            if (change.Status == ChangeKind.Deleted || git.Index[change.Path] is not { Mode: Mode.SymbolicLink } entry) continue;
            var target = git.Lookup<Blob>(entry.Id).GetContentText();
            if (!AnnexLink.TryParseTarget(target, out var key)) continue;
            var expected = AnnexLink.TargetFor(change.Path, key);
            if (target == expected) continue;
            var absolute = repo.WorkPath(change.Path);
            if (new FileInfo(absolute).LinkTarget == target || !WorkTreeEntry.Exists(absolute))
            {
                WorkTreeEntry.Delete(absolute);
                File.CreateSymbolicLink(absolute, expected);
                git.Index.Add(change.Path);
            }
            else
            {
                // The user saved something there since the merge wrote the link: it stays, and is committed next.
                using var text = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(expected));
                git.Index.Add(git.ObjectDatabase.CreateBlob(text), change.Path, Mode.SymbolicLink);
            }
            repointed++;
        }
        if (repointed > 0) git.Index.Write();
        return repointed;
    }
}
