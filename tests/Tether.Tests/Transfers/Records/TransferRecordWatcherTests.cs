using Tether.Kernel.Transfers.Records;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Transfers.Records;

public class TransferRecordWatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static async Task DrainAsync(TransferRecordWatcher watcher)
    {
        await Task.Delay(200);
        while (watcher.Signals.TryRead(out _)) { }
    }

    [Fact]
    public async Task RecordWrittenByAnotherProcessSignals()
    {
        using var node = new RecordRepo();
        using var watcher = new TransferRecordWatcher(node.Repo);
        Assert.True(Directory.Exists(Path.Combine(node.Repo.AnnexDir, "transfer", "failed", "download")));
        await DrainAsync(watcher);

        // A new remote's folder and a record in it, at once, by another process (the mkdir -p && write race).
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var id = RecordRepo.Upload();
        GitCli.RunTool("python3", node.Path, "-c",
            "import os, sys; os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True); open(sys.argv[2], 'w'); open(sys.argv[1], 'w').write('1700000000s 1\\nf\\n')",
            store.InfoPath(id), store.LockPath(id));
        await watcher.Signals.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Single(store.List(), s => s.Id == id);
        await DrainAsync(watcher);

        // Progress in that new folder (its watch was added when it appeared), then removal.
        GitCli.RunTool("python3", node.Path, "-c", "import sys; open(sys.argv[1], 'w').write('1700000000s 2\\nf\\n')", store.InfoPath(id));
        await watcher.Signals.ReadAsync().AsTask().WaitAsync(Bound);
        await DrainAsync(watcher);
        File.Delete(store.InfoPath(id));
        await watcher.Signals.ReadAsync().AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task OwnTransfersSignalThroughTheEventToo()
    {
        using var node = new RecordRepo();
        using var watcher = new TransferRecordWatcher(node.Repo);
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Changed += (_, _) => raised.TrySetResult();
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        using var transfer = store.TryBegin(RecordRepo.Upload(), "f");
        await raised.Task.WaitAsync(Bound);
        transfer!.Complete();
    }
}
