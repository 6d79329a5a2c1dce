using Tether.Kernel.Threads;
using Tether.Kernel.Transfers;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Transfers;

/// <summary>
/// The soak (seed 868587820): a key merged while the daemon's startup scan walked the tree was never fetched. The scan
/// recorded the tip it had reached after the walk, not the one it walked, so the next scan of changes started past the merge.
/// </summary>
public sealed class TransferScannerRaceTests
{
    [Fact]
    public async Task ACommitLandingWhileTheFullScanWalksIsFoundByTheNextScanOfChanges()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        a.Write("first.bin", new string('f', 4096));
        a.Write("second.bin", new string('s', 4096));
        await a.SyncAsync();
        const string mergedKey = "SHA256E-s5--2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.bin";
        var queue = new RecordingQueue(onFirst: () =>
        {
            File.WriteAllText(a.File("merged meanwhile.bin"), $"/annex/objects/{mergedKey}\n"); // an unlocked file's pointer, as a merge brings
            GitCli.Run(a.Path, "add", "merged meanwhile.bin");
            GitCli.Run(a.Path, "commit", "-q", "-m", "merged while the scan walked");
        });
        var scanner = new TransferScanner(a.Repo, queue);

        scanner.ScanTree();
        Assert.DoesNotContain(queue.Requests, r => r.Key.ToString() == mergedKey); // the walk was of the tree before it
        scanner.ScanChanges();

        var download = Assert.Single(queue.Requests, r => r.Key.ToString() == mergedKey);
        Assert.Equal((TransferDirection.Download, "merged meanwhile.bin"), (download.Direction, download.File));
    }

    private sealed class RecordingQueue(Action onFirst) : ITransferQueue
    {
        public List<TransferRequest> Requests { get; } = [];

        public void Enqueue(TransferRequest request)
        {
            Requests.Add(request);
            if (Requests.Count == 1) onFirst();
        }

        public IReadOnlyList<Tether.Kernel.Status.TransferStatus> Snapshot() => [];

        public Task RunAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
