using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Committing;
using Tether.Kernel.Daemon;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Status;
using Tether.Kernel.Watching;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Threads;
using Tether.Kernel.Coordination;

namespace Tether.Tests.Daemon;

/// <summary>
/// Found by the fuzz's soak (seed 1332691013): a commit before a merge failed, the merge went ahead anyway, and a save
/// made just before it was lost from every node. The commit before a merge now fails loudly when anything is left
/// uncommitted, so the merge waits (it is retried) and never meets uncommitted changes.
/// </summary>
public sealed class CommitBeforeMergeTests
{
    [Fact]
    public async Task TheCommitBeforeAMergeThrowsWhenAChangeCouldNotBeCommitted()
    {
        using var dir = new TempFolder();
        var node = await Node.CreateAsync(dir.Combine("a"), "a");
        var workTree = new WorkTreeCommitter(node.Repo, (_, size) => size >= Node.LargeFileThreshold, "a", TimeProvider.System, NullLogger.Instance);
        using var gate = new RepositoryGate();
        var committer = new Committer(Channel.CreateUnbounded<WorkTreeChange>().Reader, workTree, gate, new CommitTiming(), [], new EventBus(),
            new DaemonStatus(node.Path, TimeProvider.System), TimeProvider.System, NullLogger.Instance);
        node.Write("saved.txt", "a save no merge may overwrite\n");

        var indexLock = Path.Combine(node.Path, ".git", "index.lock");
        await using (new FileStream(indexLock, FileMode.CreateNew)) // another git process holds the index: the commit fails
            await Assert.ThrowsAsync<IOException>(() => committer.CommitAllHoldingGateAsync(CancellationToken.None));
        Assert.DoesNotContain("saved.txt", WatchingNode.TreePaths(node.Path, "HEAD"));

        File.Delete(indexLock);
        await committer.CommitAllHoldingGateAsync(CancellationToken.None);
        Assert.Contains("saved.txt", WatchingNode.TreePaths(node.Path, "HEAD"));
    }
}
