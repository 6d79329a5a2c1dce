using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Native;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety;

/// <summary>
/// Found by the fuzz (seed 296011873): fcntl locks belong to a process, so the committer and the transfer scheduler of
/// one daemon both "held" journal.lck, one committed and deleted journal files the other was reading, and the daemon
/// stopped on FileNotFoundException. Threads of one process now take the journal lock in turn.
/// </summary>
public sealed class JournalLockTests
{
    [Fact]
    public async Task TwoThreadsOfOneProcessTakeTheLockInTurn()
    {
        using var dir = new TempFolder();
        var path = dir.Combine("journal.lck");
        var first = await PosixFileLock.AcquireAsync(path, CancellationToken.None);
        var second = PosixFileLock.AcquireAsync(path, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "a second thread must wait for the first holder");
        first.Dispose();
        using var held = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(held);
    }

    [Fact]
    public async Task ConcurrentRecordsAndCommitsOfTheJournalLoseNothing()
    {
        using var dir = new TempFolder();
        var node = await Node.CreateAsync(dir.Combine("a"), "a");
        var uuid = node.Repo.RequireUuid();
        var keys = Enumerable.Range(0, 40).Select(i => Key.Parse($"SHA256E-s{i + 1}--{i:x64}.bin")).ToList();

        await Task.WhenAll(keys.Select(key => Task.Run(async () =>
        {
            using var branch = new GitAnnexBranch(node.Repo, TimeProvider.System);
            await branch.RecordLocationAsync(key, uuid, LocationStatus.Present, CancellationToken.None);
            await branch.CommitAsync("update", CancellationToken.None);
        })));

        using var check = new GitAnnexBranch(node.Repo, TimeProvider.System);
        await check.CommitAsync("update", CancellationToken.None);
        foreach (var key in keys) Assert.Contains(uuid, check.PresentUuids(key));
    }
}
