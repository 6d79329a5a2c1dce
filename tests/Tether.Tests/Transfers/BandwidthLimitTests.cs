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
        await using var backend = new LocalPathBackend(new RemoteDescriptor("remote", remoteRepo.GitDir, remoteRepo.ReadUuid(), limit), TimeProvider.System);

        // Timed from the first to the last byte reported, so the verification after the copy is not counted.
        var clock = new Stopwatch();
        var lastByteAt = TimeSpan.Zero;
        var progress = new SynchronousProgress(bytes =>
        {
            if (!clock.IsRunning) clock.Start();
            if (bytes == data.Length) lastByteAt = clock.Elapsed;
        });
        await backend.StoreAsync(key, source, progress, CancellationToken.None);
        var expected = (double)data.Length / limit;
        Assert.InRange(lastByteAt.TotalSeconds, expected * 0.85, expected * 1.15);
        Assert.True(await backend.HasKeyAsync(key, CancellationToken.None));
    }


    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
