using LibGit2Sharp;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Git;
using Tether.Kernel.Repositories;
using Tether.Kernel.Committing;
using Tether.Kernel.Transfers;

using Tether.Kernel.Wants;

namespace Tether.Kernel.Threads;

/// <summary>
/// Decides what content should move. After a local commit, its new content goes to every remote (flood).
/// At start, a full scan of the tree: what we lack is downloaded, what we have is offered to every remote.
/// After that, only what changed: the diff of our branch since the last scan (new files), and the diff of
/// the git-annex branch (keys whose locations changed, e.g. content that just arrived at a remote).
/// </summary>
public sealed class TransferScanner(AnnexRepository repo, ITransferQueue queue)
{
    private readonly Lock _lock = new();
    private ObjectId? _scannedHead;
    private ObjectId? _scannedAnnex;

    public async Task RunAsync(System.Threading.Channels.ChannelReader<CommitResult> commits, CancellationToken ct)
    {
        try { await foreach (var commit in commits.ReadAllAsync(ct)) ContentCommitted(commit); }
        catch (OperationCanceledException) { }
    }

    public void ContentCommitted(CommitResult commit)
    {
        if (commit.Annexed.Count == 0) return;
        using var git = repo.OpenGit();
        var tree = git.Lookup<LibGit2Sharp.Commit>(commit.CommitId)?.Tree;
        foreach (var path in commit.Annexed)
            if (KeyCommittedAt(tree, path) is { } key) // a locked file's link or an unlocked file's pointer
                queue.Enqueue(new TransferRequest(TransferDirection.Upload, key, path, null));
    }

    private static Sdk.Keys.Key? KeyCommittedAt(LibGit2Sharp.Tree? tree, string path) =>
        tree?[path] is { TargetType: LibGit2Sharp.TreeEntryTargetType.Blob } entry
        && AnnexedFiles.TryKeyOf(entry.Mode, (LibGit2Sharp.Blob)entry.Target, out var key) ? key : null;

    /// <summary>The full pass: every annexed file in our tree.</summary>
    public void ScanTree()
    {
        lock (_lock)
        {
            using var git = repo.OpenGit();
            var store = new ObjectStore(repo);
            // Both tips are read once, before the walk: the committer and merger move them meanwhile, and recording the
            // tip after the walk skipped what came in between for good (the soak, seed 868587820: a merged key never fetched).
            var head = git.Head.Tip;
            var annex = git.Refs[GitAnnexBranch.RefName]?.ResolveToDirectReference()?.Target?.Id;
            foreach (var entry in AnnexedFiles.InTree(head?.Tree).DistinctBy(e => e.Key))
                Queue(store, entry.Key, entry.Path);
            _scannedHead = head?.Id;
            _scannedAnnex = annex;
        }
    }

    /// <summary>Only what changed since the last scan (a full scan if there was none).</summary>
    public void ScanChanges()
    {
        lock (_lock)
        {
            if (_scannedHead is null && _scannedAnnex is null) { ScanTree(); return; }
            using var git = repo.OpenGit();
            var store = new ObjectStore(repo);
            var head = git.Head.Tip;
            var annex = git.Refs[GitAnnexBranch.RefName]?.ResolveToDirectReference()?.Target as Commit;
            if (head is not null && head.Id != _scannedHead)
                foreach (var entry in ChangedAnnexedFiles(git, _scannedHead, head)) Queue(store, entry.Key, entry.Path);
            if (annex is not null && annex.Id != _scannedAnnex && head is not null)
            {
                var keys = ChangedLocationKeys(git, _scannedAnnex, annex);
                if (keys.Count > 0)
                    foreach (var entry in AnnexedFiles.InTree(head.Tree).Where(e => keys.Contains(e.Key)).DistinctBy(e => e.Key))
                        Queue(store, entry.Key, entry.Path);
            }
            _scannedHead = head?.Id;
            _scannedAnnex = annex?.Id;
        }
    }

    /// <summary>What this repository fetches for itself (the top-level wants); other content is never downloaded.</summary>
    public WantedContent Wants { get; set; } = WantedContent.All;

    private void Queue(ObjectStore store, Sdk.Keys.Key key, string path)
    {
        var have = store.Contains(key);
        // Content a peer put in our store (a push into it, a drive) reaches an unlocked file's pointer file here.
        if (have && repo.WorkTree is not null) UnlockedContent.Populate(repo, path, key);
        if (have || Wants.Wants(path))
            queue.Enqueue(new TransferRequest(have ? TransferDirection.Upload : TransferDirection.Download, key, path, null));
    }

    private static IEnumerable<AnnexedFiles.Entry> ChangedAnnexedFiles(Repository git, ObjectId? from, Commit to)
    {
        var old = from is null ? null : git.Lookup<Commit>(from)?.Tree;
        foreach (var change in git.Diff.Compare<TreeChanges>(old, to.Tree))
        {
            if (change.Status is not (ChangeKind.Added or ChangeKind.Modified or ChangeKind.Renamed or ChangeKind.Copied or ChangeKind.TypeChanged)) continue;
            if (git.Lookup<Blob>(change.Oid) is { } blob && AnnexedFiles.TryKeyOf(change.Mode, blob, out var key))
                yield return new AnnexedFiles.Entry(change.Path, key);
        }
    }

    private static HashSet<Sdk.Keys.Key> ChangedLocationKeys(Repository git, ObjectId? from, Commit to)
    {
        var old = from is null ? null : git.Lookup<Commit>(from)?.Tree;
        var keys = new HashSet<Sdk.Keys.Key>();
        foreach (var change in git.Diff.Compare<TreeChanges>(old, to.Tree))
            if (LocationLog.TryKeyFromPath(change.Path, out var key)) keys.Add(key);
        return keys;
    }
}
