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
using Tether.Kernel.Backends;
using Tether.Kernel.Merging;
using Tether.Kernel.Remotes;

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

    /// <summary>
    /// The commit before a merge is a full scan of the work tree (1.7 s at 100,000 files, bench/scale.sh), and every pull
    /// made it, even one that brought nothing (each daemon start pulls every remote). Now only a merge to come makes it.
    /// </summary>
    [Fact]
    public async Task APullThatBringsNothingToMergeMakesNoCommitFirstAndOneThatBringsSomethingDoes()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.AddRemote(b); b.AddRemote(a);
        a.Write("base.txt", "base\n");
        await a.SyncAsync(); await b.SyncAsync(); await a.SyncAsync();
        var commitsFirst = 0;
        var sync = new GitRemoteSync(a.Repo, new GitTransport(a.Repo), new BranchMerger(a.Repo, TimeProvider.System, NullLogger.Instance),
            TimeProvider.System, NullLogger.Instance) { BeforeMerge = _ => { commitsFirst++; return Task.CompletedTask; } };
        var endpoint = await new RemoteEndpointFactory(a.Repo, BackendRegistry.BuiltIn(TimeProvider.System), TimeProvider.System)
            .OpenAsync(a.Remotes[0], CancellationToken.None);

        Assert.Empty(await sync.PullAsync(endpoint, CancellationToken.None));
        Assert.Empty(await sync.MergeReceivedAsync(CancellationToken.None));
        Assert.Equal(0, commitsFirst);

        b.Write("new.txt", "from b\n");
        await b.SyncAsync(); // commits in b and pushes into a's synced/main
        Assert.NotEmpty(await sync.PullAsync(endpoint, CancellationToken.None));
        Assert.Equal(1, commitsFirst);
        Assert.Contains("new.txt", WatchingNode.TreePaths(a.Path, "HEAD"));
        Assert.Empty(await sync.MergeReceivedAsync(CancellationToken.None)); // already merged by the pull
        Assert.Equal(1, commitsFirst);
    }
}
