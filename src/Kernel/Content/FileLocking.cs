using LibGit2Sharp;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Content;

/// <summary>
/// `tether unlock` and `tether lock`, as `git annex unlock/lock` do: the work tree and the index change, and the next
/// commit (the daemon's, or `tether sync`) records the type change. Unlocking puts a writable copy of the content in
/// place of the link (the pointer file when the content is not here); locking annexes the file as it is now (an edit
/// made while unlocked becomes the locked version) and puts the link in its place.
/// </summary>
public sealed class FileLocking(AnnexRepository repo, TimeProvider clock)
{
    public string Unlock(AnnexedFiles.Entry file)
    {
        var absolute = repo.WorkPath(file.Path);
        if (!AnnexLink.TryReadLink(absolute, out var key) || key != file.Key) return "not locked (already unlocked?)";
        var placed = Path.Combine(Path.GetDirectoryName(absolute)!, $".tether-unlock-{Guid.NewGuid():N}");
        var hasContent = UnlockedContent.CopyObject(new ObjectStore(repo), key, placed);
        if (!hasContent) File.WriteAllText(placed, AnnexLink.PointerFor(key));
        try { NativeFileSystem.Rename(placed, absolute); }
        finally { if (File.Exists(placed)) File.Delete(placed); }
        using var git = repo.OpenGit();
        if (!(hasContent && WorkTreeStat.Of(absolute) is { } stat && PointerStaging.Stage(git, repo, file.Path, key, stat)))
            PointerStaging.StageWithoutStat(git, file.Path, key, Mode.NonExecutableFile); // the pointer file, or content that changed meanwhile
        git.Index.Write();
        return hasContent ? "unlocked" : "unlocked (content not here: a pointer file until it is fetched)";
    }

    public async Task<string> LockAsync(AnnexedFiles.Entry file, CancellationToken ct)
    {
        var absolute = repo.WorkPath(file.Path);
        if (new FileInfo(absolute).LinkTarget is not null) return "not unlocked (already locked?)";
        if (PointerStaging.IsPointerFile(absolute, new FileInfo(absolute).Length))
        {
            File.Delete(absolute);
            File.CreateSymbolicLink(absolute, AnnexLink.TargetFor(file.Path, file.Key));
        }
        else
        {
            using var branch = new GitAnnexBranch(repo, clock);
            var store = new ObjectStore(repo);
            var outcome = await new Ingester(repo, store, branch, repo.RequireUuid()).IngestAsync(file.Path, ct);
            await branch.CommitAsync("update", ct);
            if (outcome is not IngestOutcome.Annexed(_, var key)) return "not locked: it is being written to; try again";
            store.SealIfUnshared(key); // annex.thin: the object was this file; behind a link it is read-only, as every locked object
        }
        using var git = repo.OpenGit();
        git.Index.Add(file.Path);
        git.Index.Write();
        return "locked";
    }
}
