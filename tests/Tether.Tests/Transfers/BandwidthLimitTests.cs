using System.Diagnostics;
using Tether.Kernel.Backends;
using Tether.Kernel.Repositories;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Transfers;

/// <summary>Runs alone (no parallel tests competing for the disk): it checks a rate, not a speed.</summary>
[Collection(nameof(RunsAlone))]
public sealed class BandwidthLimitTests
{
    [Fact]
    public async Task BandwidthLimitIsHonouredWithinFifteenPercentOnFiftyMebibytes()
    {
        using var dir = new TempFolder();
        var remoteRepo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("remote"), "remote", true, CancellationToken.None);
        var source = dir.Combine("source.bin");
        var data = new byte[50 << 20];
        new Random(1).NextBytes(data);
        await File.WriteAllBytesAsync(source, data);
        var key = await KeyHasher.ComputeSha256EAsync(source, "source.bin", CancellationToken.None);
        const long limit = 20 << 20; // 20 MiB/s: 2.5 s for 50 MiB
        // What the machine needs for the same store with no limit, right now: a loaded machine is slower than any limit.
        var unlimitedRepo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("unlimited"), "unlimited", true, CancellationToken.None);
        await using var unlimited = new LocalPathBackend(new RemoteDescriptor("unlimited", unlimitedRepo.GitDir, unlimitedRepo.ReadUuid(), null), TimeProvider.System);
        var unlimitedTime = await TimeToLastByteAsync(unlimited, key, source, data.Length);
        await using var backend = new LocalPathBackend(new RemoteDescriptor("remote", remoteRepo.GitDir, remoteRepo.ReadUuid(), limit), TimeProvider.System);

        var limitedTime = await TimeToLastByteAsync(backend, key, source, data.Length);

        var expected = (double)data.Length / limit;
        // Never faster than the limit allows (15%); never slower than 15% over it, beyond what the copy itself takes here.
        Assert.InRange(limitedTime.TotalSeconds, expected * 0.85, expected * 1.15 + unlimitedTime.TotalSeconds);
        Assert.True(await backend.HasKeyAsync(key, CancellationToken.None));
    }

    /// <summary>Timed from the first to the last byte reported, so the verification after the copy is not counted.</summary>
    private static async Task<TimeSpan> TimeToLastByteAsync(LocalPathBackend backend, Key key, string source, long length)
    {
        var clock = new Stopwatch();
        var lastByteAt = TimeSpan.Zero;
        var progress = new SynchronousProgress(bytes =>
        {
            if (!clock.IsRunning) clock.Start();
            if (bytes == length) lastByteAt = clock.Elapsed;
        });
        await backend.StoreAsync(key, source, progress, CancellationToken.None);
        return lastByteAt;
    }


    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
