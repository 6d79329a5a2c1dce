using Microsoft.Extensions.Time.Testing;
using Tether.Kernel.Transfers.Records;
using Xunit;

namespace Tether.Tests.Transfers.Records;

public class ProgressTests
{
    private static long BytesOnDisk(TransferRecordStore store, ActiveTransfer t) => TransferInfo.Read(store.InfoPath(t.Id)).BytesDone ?? -1;

    [Fact]
    public void SmallStepsAreWrittenRarelyAndTheLastCountWithinASecond()
    {
        using var node = new RecordRepo();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1764092400));
        var store = new TransferRecordStore(node.Repo, clock);
        var transfer = store.TryBegin(RecordRepo.Upload(size: 1L << 30), "big.iso")!; // 1% = 10 MiB, so the 1 MiB cap rules
        Assert.Equal(1, transfer.WriteCount);

        // 100 steps of 8 KiB, 10 ms apart: 800 KiB in 1 s: below 1 MiB, so only time forces a write.
        for (var i = 1; i <= 100; i++)
        {
            transfer.ReportBytes(i * 8192L);
            if (i < 100) clock.Advance(TimeSpan.FromMilliseconds(9));
        }
        Assert.True(transfer.WriteCount <= 3, $"{transfer.WriteCount} writes");
        // The last count is not lost when reports stop: the timer writes it within a second.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(100 * 8192L, BytesOnDisk(store, transfer));
        var writes = transfer.WriteCount;
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(writes, transfer.WriteCount); // nothing changed: nothing written
        transfer.Complete();
    }

    [Fact]
    public void AGibibyteInMebibyteStepsIsWrittenAHundredTimesNotAThousand()
    {
        using var node = new RecordRepo();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1764092400));
        var store = new TransferRecordStore(node.Repo, clock);
        var transfer = store.TryBegin(RecordRepo.Upload(size: 1L << 30), "f")!;
        for (var i = 1; i <= 1024; i++) transfer.ReportBytes(i * (1L << 20)); // a chunk at a time, as the copy loops report
        Assert.InRange(transfer.WriteCount, 90, 102); // every 11 MiB (the first report past each 1%), and the first write
        Assert.InRange(BytesOnDisk(store, transfer), (1L << 30) - (1L << 30) / 100, 1L << 30); // the rest within a second, by the timer
        transfer.Complete();
    }

    [Fact]
    public void BigStepsAreWrittenAtOnePercent()
    {
        using var node = new RecordRepo();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1764092400));
        var store = new TransferRecordStore(node.Repo, clock);
        var transfer = store.TryBegin(RecordRepo.Upload(size: 10_000_000), "f")!; // 1% = 100000 bytes

        for (var i = 1; i <= 100; i++) transfer.ReportBytes(i * 10_000L); // 100 steps of 0.1%, no time passing
        Assert.InRange(transfer.WriteCount, 10, 12); // a write every 1%: ten, far fewer than 100
        Assert.Equal(1_000_000, BytesOnDisk(store, transfer));

        transfer.ReportBytes(2 * 1024 * 1024); // ≥ 1% more: written at once
        Assert.Equal(2 * 1024 * 1024, BytesOnDisk(store, transfer));
        transfer.Complete();
    }

    [Fact]
    public void RealClockMakesTheFinalCountVisibleWithinABoundedTime()
    {
        using var node = new RecordRepo();
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var transfer = store.TryBegin(RecordRepo.Upload(size: 1L << 30), "f")!;
        for (var i = 1; i <= 100; i++) transfer.ReportBytes(i * 100L);
        Assert.True(transfer.WriteCount <= 2, $"{transfer.WriteCount} writes");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (BytesOnDisk(store, transfer) != 10_000 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.Equal(10_000, BytesOnDisk(store, transfer));
        Assert.True(transfer.WriteCount <= 3, $"{transfer.WriteCount} writes");
        transfer.Complete();
    }
}
