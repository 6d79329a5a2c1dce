using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Merging;

/// <summary>
/// Cleans up after a merge that died between swapping a path and deciding what came out (see <see cref="MergeJournal"/>):
/// a file in the merge's temp folder that the journal names, and that is neither the version the tree had there nor
/// the one the merge brought, is a save of the user's and goes back to its path (or a variant name beside it); every
/// other leftover is a copy the merge made from git and is deleted. Call with the repository gate held, before the
/// committer reads the work tree, so the save is committed like any other.
/// </summary>
internal static class MergeLeftovers
{
    public static string TmpFolder(AnnexRepository repo) => Path.Combine(repo.StateDir, "merge-tmp");

    public static void Recover(Repository git, AnnexRepository repo, ILogger log)
    {
        var tmp = TmpFolder(repo);
        if (!Directory.Exists(tmp)) return;
        var journal = MergeJournal.Read(tmp);
        var leftovers = Directory.EnumerateFileSystemEntries(tmp).Where(f => Path.GetFileName(f) != MergeJournal.FileName)
            .Concat(journal.Keys.Where(k => Path.GetDirectoryName(k) != tmp && WorkTreeEntry.Exists(k))) // taken beside the file (another filesystem)
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var leftover in leftovers)
        {
            var journaled = journal.TryGetValue(leftover, out var entry);
            if (WorkTreeEntry.IsFolder(leftover) && Directory.EnumerateFileSystemEntries(leftover).Any())
            {
                // the merge only ever makes empty folders (a gitlink's): one with anything in it is the user's
                if (journaled) GiveBack(git, repo, log, leftover, entry!);
                else log.LogWarning("Left {Folder} in place: a folder found among a merge's temp files, not made by it", leftover);
            }
            else if (journaled && IsUsers(git, entry!, leftover)) GiveBack(git, repo, log, leftover, entry!);
            else if (WorkTreeEntry.IsFolder(leftover)) Directory.Delete(leftover);
            else WorkTreeEntry.Delete(leftover);
        }
        MergeJournal.Clear(tmp);
    }

    private static void GiveBack(Repository git, AnnexRepository repo, ILogger log, string leftover, MergeJournal.Entry entry)
    {
        KeptSaves.PutBack(git, repo, log, leftover, entry.Path);
        log.LogWarning("Recovered {Path}, taken out of the work tree by a merge that was interrupted; it is committed next", entry.Path);
    }

    private static bool IsUsers(Repository git, MergeJournal.Entry entry, string leftover)
    {
        foreach (var version in new[] { entry.Old, entry.New })
        {
            if (version is not var (mode, id)) continue;
            if (git.Lookup(id) is null) continue;
            if (ConflictVersion.Read(git, id, mode, entry.Path).IsAt(leftover)) return false;
        }
        return true;
    }
}
