using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Merging;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers;
using Tether.Sdk.Keys;

namespace Tether.Kernel.History;

/// <summary>
/// Puts an old version back at a path of the work tree, as a new change: its content fetched first (from whichever remote
/// has it, verified), then written beside the path and renamed over it. What is at the path and not committed (a save)
/// is never overwritten: it moves to a variant name of its own first. Locked files come back as links, unlocked ones as
/// their content, files kept in git as their bytes.
/// </summary>
public sealed class VersionRestorer(AnnexRepository repo, TimeProvider clock, ILogger log)
{
    public async Task<RestoreOutcome> RestoreAsync(string targetPath, string blobId, string mode, IReadOnlyList<RemoteEndpoint> remotes, CancellationToken ct)
    {
        byte[] bytes;
        Key? key;
        using (var git = repo.OpenGit())
        {
            (key, _) = FileHistory.Inspect(git, blobId, mode);
            bytes = git.Lookup<Blob>(blobId) is { } blob ? ConflictVersion.BlobBytes(git, blob.Id) : throw new IOException($"version {blobId[..10]} of '{targetPath}' is not in this repository");
        }
        if (key is not null) await EnsureContentAsync(key, targetPath, remotes, ct);

        var absolute = repo.WorkPath(targetPath);
        if (IsVersionAt(absolute, mode, bytes, key)) return new RestoreOutcome(targetPath, null, "already holds that version", false);
        var savedAs = KeepUnsavedEdit(targetPath);
        Directory.CreateDirectory(Path.GetDirectoryName(absolute)!);
        var temporary = Path.Combine(Path.GetDirectoryName(absolute)!, $".tether-restore-{Guid.NewGuid():N}");
        try
        {
            Write(temporary, targetPath, mode, bytes, key);
            File.Move(temporary, absolute, overwrite: true);
        }
        finally { if (WorkTreeEntry.Exists(temporary)) File.Delete(temporary); }
        return new RestoreOutcome(targetPath, savedAs, savedAs is null ? "restored" : $"restored; what was there (not committed) is kept as {savedAs}", true);
    }

    private async Task EnsureContentAsync(Key key, string path, IReadOnlyList<RemoteEndpoint> remotes, CancellationToken ct)
    {
        var store = new ObjectStore(repo);
        if (store.Contains(key)) return;
        using var branch = new GitAnnexBranch(repo, clock, log);
        var holders = branch.PresentUuids(key);
        var transfers = new ContentTransfers(repo, branch, repo.RequireUuid(), clock, log);
        var candidates = remotes.Where(r => r.Uuid is not null && holders.Contains(r.Uuid)).Concat(remotes).Distinct();
        var got = await transfers.DownloadAsync(key, candidates, ct);
        await branch.CommitAsync("update", ct);
        if (!got)
            throw new IOException($"the content of that version of '{path}' ({key}) could not be fetched: " +
                (transfers.LastDownloadError ?? (holders.Count == 0 ? "no node has it any more (gone)" : "no reachable remote has it")));
    }

    private void Write(string temporary, string targetPath, string mode, byte[] bytes, Key? key)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        if (mode == "120000")
        {
            File.CreateSymbolicLink(temporary, key is null ? text : AnnexLink.TargetFor(targetPath, key));
            return;
        }
        if (key is null || !UnlockedContent.CopyObject(new ObjectStore(repo), key, temporary))
            File.WriteAllBytes(temporary, bytes);
        if (mode == "100755")
            File.SetUnixFileMode(temporary, File.GetUnixFileMode(temporary) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    private bool IsVersionAt(string absolute, string mode, byte[] bytes, Key? key)
    {
        if (!WorkTreeEntry.Exists(absolute)) return false;
        if (mode == "120000")
            return key is not null && AnnexLink.TryReadLink(absolute, out var linked) ? linked == key : WorkTreeEntry.Holds(absolute, true, bytes);
        return WorkTreeEntry.Holds(absolute, false, bytes) || key is not null && UnlockedContent.HoldsContentOf(absolute, key);
    }

    /// <summary>Moves what is at the path to a variant name when it is not what the last commit holds there; returns that name.</summary>
    private string? KeepUnsavedEdit(string targetPath)
    {
        var absolute = repo.WorkPath(targetPath);
        if (!WorkTreeEntry.Exists(absolute) || WorkTreeEntry.IsFolder(absolute) && new FileInfo(absolute).LinkTarget is null) return null;
        using var git = repo.OpenGit();
        if (git.Head.Tip?[targetPath] is { TargetType: TreeEntryTargetType.Blob } committed)
        {
            var version = ConflictVersion.Read(git, committed.Target.Id, committed.Mode, targetPath);
            if (version.IsAt(absolute)) return null; // committed: it is in history already
        }
        foreach (var candidate in VariantName.Candidates(targetPath, WorkTreeEntry.KeyOf(absolute, targetPath)))
        {
            var destination = repo.WorkPath(candidate);
            if (WorkTreeEntry.Exists(destination) || git.Index[candidate] is not null) continue;
            File.Move(absolute, destination);
            log.LogWarning("Kept {Path} (not committed) as {Variant} before restoring an old version there", targetPath, candidate);
            return candidate;
        }
        throw new IOException($"cannot keep what is at '{targetPath}' (not committed): every variant name for it is in use");
    }
}
