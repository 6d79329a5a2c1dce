using Tether.Kernel.Annex;
using Tether.Kernel.Git;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Transfers;

/// <summary>
/// Decides what content should move: after a local commit, the new content goes up to every remote (flood);
/// after a merge (and at start), every file in our tree whose content we lack is fetched.
/// </summary>
public sealed class TransferScanner(AnnexRepository repo, ITransferQueue queue)
{
    /// <summary>Queues the upload of the content of every local commit read from the channel.</summary>
    public async Task RunAsync(System.Threading.Channels.ChannelReader<CommitResult> commits, CancellationToken ct)
    {
        try { await foreach (var commit in commits.ReadAllAsync(ct)) ContentCommitted(commit); }
        catch (OperationCanceledException) { }
    }

    public void ContentCommitted(CommitResult commit)
    {
        foreach (var path in commit.Annexed)
            if (AnnexLink.TryReadLink(repo.WorkPath(path), out var key))
                queue.Enqueue(new TransferRequest(TransferDirection.Upload, key, path, null));
    }

    /// <summary>Queues downloads of what we lack and uploads of what we have (the flood pass over the whole tree).</summary>
    public void ScanTree()
    {
        var store = new ObjectStore(repo);
        using var git = repo.OpenGit();
        foreach (var entry in AnnexedFiles.InTree(git.Head.Tip?.Tree).DistinctBy(e => e.Key))
            queue.Enqueue(new TransferRequest(store.Contains(entry.Key) ? TransferDirection.Upload : TransferDirection.Download, entry.Key, entry.Path, null));
    }
}
