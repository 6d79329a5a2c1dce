using Microsoft.Extensions.Time.Testing;
using Tether.Kernel.Transfers;
using Tether.Kernel.Transfers.Records;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Transfers.Records;

public class TransferRecordStoreTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1764092400).AddTicks(1234567);

    [Fact]
    public void BeginWritesTheRecordWhereGitAnnexKeepsItAndCompleteRemovesEverything()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, new FakeTimeProvider(T0));
        var id = RecordRepo.Upload();
        var transferDir = Path.Combine(node.Path, ".git", "annex", "transfer");
        var info = Path.Combine(transferDir, "upload", RecordRepo.RemoteUuid, id.KeyFile);
        var lck = Path.Combine(transferDir, "upload", RecordRepo.RemoteUuid, "lck." + id.KeyFile);
        Assert.Equal(info, store.InfoPath(id));
        Assert.Equal(lck, store.LockPath(id));
        Assert.Equal(Path.Combine(transferDir, "failed", "upload", RecordRepo.RemoteUuid, id.KeyFile), store.FailedPath(id));

        // A failed record of an earlier attempt goes away on success.
        Directory.CreateDirectory(Path.GetDirectoryName(store.FailedPath(id))!);
        File.WriteAllText(store.FailedPath(id), "1700000000s 10\nsub/file.bin\n");
        Assert.Single(store.ListFailed());

        var transfer = store.TryBegin(id, "sub/file.bin");
        Assert.NotNull(transfer);
        Assert.Equal("1764092400.1234567s\nsub/file.bin\n", File.ReadAllText(info));
        Assert.True(File.Exists(lck));
        Assert.True(ProcLocks.PosixWriteLockHeld(Environment.ProcessId, lck));

        var state = Assert.Single(store.List());
        Assert.Equal(id, state.Id);
        Assert.True(state.Running);
        Assert.Equal(Environment.ProcessId, state.Pid);
        Assert.Equal(new TransferInfo(T0, null, "sub/file.bin"), state.Info);
        Assert.True(store.IsRunning(id));
        Assert.Equal(0, store.RecoverDead()); // ours is alive: untouched, and our lock still held
        Assert.True(store.IsRunning(id));
        Assert.True(ProcLocks.PosixWriteLockHeld(Environment.ProcessId, lck));
        Assert.True(File.Exists(info));

        transfer.Complete();
        Assert.False(File.Exists(info));
        Assert.False(File.Exists(lck));
        Assert.False(File.Exists(store.FailedPath(id)));
        Assert.Empty(store.List());
        Assert.Empty(store.ListFailed());
        Assert.False(store.IsRunning(id));
    }

    [Fact]
    public void SecondBeginOfTheSameTransferInThisProcessIsRefused()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var other = new TransferRecordStore(node.Repo, TimeProvider.System); // the registry is process-wide
        var id = RecordRepo.Upload();
        using var first = store.TryBegin(id, "f");
        Assert.NotNull(first);
        Assert.Null(store.TryBegin(id, "f"));
        Assert.Null(other.TryBegin(id, "f"));
        Assert.Equal(0, other.RecoverDead());
        // Other transfers of the same key are separate: another remote, the other direction.
        Assert.Null(store.TryBegin(id with { }, null));
        using var toElsewhere = store.TryBegin(new TransferId(TransferDirection.Upload, "another-uuid", id.Key), "f");
        using var fromThere = store.TryBegin(new TransferId(TransferDirection.Download, id.RemoteUuid, id.Key), "f");
        Assert.NotNull(toElsewhere);
        Assert.NotNull(fromThere);
        Assert.Equal(3, store.List().Count(s => s.Running && s.Pid == Environment.ProcessId));
        // Still ours after all that probing (no descriptor of a held lock file was ever closed).
        foreach (var held in new[] { id, toElsewhere!.Id, fromThere!.Id })
            Assert.True(ProcLocks.PosixWriteLockHeld(Environment.ProcessId, store.LockPath(held)), $"lost the lock of {held}");
        first!.Complete();
        using var again = store.TryBegin(id, "f");
        Assert.NotNull(again);
        again!.Complete();
    }

    [Fact]
    public void ConcurrentBeginsOfOneTransferLetExactlyOneRun()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var id = RecordRepo.Upload();
        using var start = new Barrier(8);
        var results = new ActiveTransfer?[8];
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            results[i] = store.TryBegin(id, "f");
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(20))));
        var winner = Assert.Single(results, r => r is not null);
        winner!.Complete();
    }

    [Fact]
    public void DisposeWithoutCompleteRecordsAFailureWithTheLastBytes()
    {
        using var node = new RecordRepo();
        var clock = new FakeTimeProvider(T0);
        var store = new TransferRecordStore(node.Repo, clock);
        var id = RecordRepo.Upload(size: 10_000);
        using (var transfer = store.TryBegin(id, "a.bin")!)
        {
            transfer.ReportBytes(50); // below the 1% step: not written yet
        }
        Assert.False(File.Exists(store.InfoPath(id)));
        Assert.False(File.Exists(store.LockPath(id)));
        Assert.Equal("1764092400.1234567s 50\na.bin\n", File.ReadAllText(store.FailedPath(id)));
        var failed = Assert.Single(store.ListFailed());
        Assert.Equal(id, failed.Id);
        Assert.False(failed.Running);
        Assert.Null(failed.Pid);

        // Retried later: the new attempt begins cleanly; success forgets the failure.
        clock.Advance(TimeSpan.FromMinutes(5));
        var retry = store.TryBegin(id, "a.bin")!;
        Assert.Equal(T0 + TimeSpan.FromMinutes(5), Assert.Single(store.List()).Info.StartedAt);
        retry.Complete();
        Assert.Empty(store.ListFailed());
    }

    [Fact]
    public void BeginReplacesStaleInfoOfADeadTransfer()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, new FakeTimeProvider(T0));
        var id = RecordRepo.Upload();
        Directory.CreateDirectory(Path.GetDirectoryName(store.InfoPath(id))!);
        File.WriteAllText(store.InfoPath(id), "1600000000s 999\nold name\n");
        File.WriteAllText(store.LockPath(id), "");
        using var transfer = store.TryBegin(id, "new name");
        Assert.NotNull(transfer);
        Assert.Equal("1764092400.1234567s\nnew name\n", File.ReadAllText(store.InfoPath(id)));
        transfer!.Complete();
    }

    [Fact]
    public void AnotherProcessHoldingTheLockBlocksBeginUntilItExits()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var id = RecordRepo.Upload();
        using var holder = LockHolder.Start(store.LockPath(id), store.InfoPath(id), "1700000000.5s 4096\nheld.bin\n");

        Assert.Null(store.TryBegin(id, "held.bin"));
        var state = Assert.Single(store.List());
        Assert.True(state.Running);
        Assert.Equal(holder.Pid, state.Pid);
        Assert.Equal(4096, state.Info.BytesDone);
        Assert.Equal(0, store.RecoverDead());
        Assert.True(File.Exists(store.InfoPath(id)));

        holder.Exit();
        var transfer = store.TryBegin(id, "held.bin");
        Assert.NotNull(transfer);
        transfer!.Complete();
    }

    [Fact]
    public void KilledHolderIsADeadTransferRecordedAsFailedThenRetried()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var id = new TransferId(TransferDirection.Download, RecordRepo.RemoteUuid, RecordRepo.KeyOfSize(1 << 20));
        const string written = "1700000000.123456789s 524288\ndir/killed.bin\n";
        using var holder = LockHolder.Start(store.LockPath(id), store.InfoPath(id), written);
        Assert.True(Assert.Single(store.List()).Running);

        holder.KillHard();
        var dead = Assert.Single(store.List());
        Assert.False(dead.Running);
        Assert.Null(dead.Pid);

        Assert.Equal(1, store.RecoverDead());
        Assert.False(File.Exists(store.InfoPath(id)));
        Assert.False(File.Exists(store.LockPath(id)));
        Assert.Equal(written, File.ReadAllText(store.FailedPath(id))); // byte for byte
        var failed = Assert.Single(store.ListFailed());
        Assert.Equal(id, failed.Id);
        Assert.Equal(524288, failed.Info.BytesDone);
        Assert.Empty(store.List());
        Assert.Equal(0, store.RecoverDead());

        var retry = store.TryBegin(id, "dir/killed.bin");
        Assert.NotNull(retry);
        retry!.Complete();
        Assert.Empty(store.ListFailed());
    }

    [Fact]
    public void ListSkipsLockAndTempFilesAndKeepsYoungOrphans()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var id = RecordRepo.Upload();
        var dir = Path.GetDirectoryName(store.InfoPath(id))!;
        Directory.CreateDirectory(dir);
        // git-annex's temp file while it writes the first info: the key file name cut short + pid + "-0".
        File.WriteAllText(Path.Combine(dir, id.KeyFile[..60] + "26356-0"), "1700000000s\nf\n");
        File.WriteAllText(Path.Combine(dir, ".tether-tmp.1.1"), "1700000000s\nf\n");
        File.WriteAllText(Path.Combine(dir, "not a key"), "whatever");
        // An info file with no lock file, just written: maybe a temp file in flight, not yet a dead transfer.
        File.WriteAllText(store.InfoPath(id), "1700000000s\nf\n");
        Assert.Empty(store.List());
        Assert.Equal(0, store.RecoverDead());
        // Once old, it is a dead transfer.
        File.SetLastWriteTimeUtc(store.InfoPath(id), DateTime.UtcNow.AddMinutes(-1));
        Assert.False(Assert.Single(store.List()).Running);
        Assert.Equal(1, store.RecoverDead());
        Assert.Equal(id, Assert.Single(store.ListFailed()).Id);
    }

    [Fact]
    public void UnreadableRecordIsLeftOutOfTheList()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var good = RecordRepo.Upload(fill: 'b');
        using var running = store.TryBegin(good, "good");
        var bad = RecordRepo.Upload(fill: 'c');
        File.WriteAllText(store.InfoPath(bad), "garbage\n");
        File.WriteAllText(store.LockPath(bad), "");
        Assert.Equal(good, Assert.Single(store.List()).Id);
        running!.Complete();
    }
}
