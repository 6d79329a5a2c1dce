using System.Threading.Channels;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Transfers.Records;

/// <summary>
/// Signals when anything under <c>.git/annex/transfer/</c> changes (a transfer starts, progresses, ends, fails), by
/// any process: inotify through a recursive <see cref="FileSystemWatcher"/>, no polling. A signal says only "look
/// again": read <see cref="TransferRecordStore.List"/> after it. Signals are coalesced (at most one pending), so a
/// consumer that lists after each one misses nothing, including files created in a folder before its watch was added
/// (the folder's creation itself signals). A lost-events overflow signals too.
/// </summary>
public sealed class TransferRecordWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = false, SingleWriter = false });

    public TransferRecordWatcher(AnnexRepository repo)
    {
        var transferDir = Path.Combine(repo.AnnexDir, "transfer");
        // Created up front, so the watch covers them from the start.
        foreach (var sub in new[] { "upload", "download", Path.Combine("failed", "upload"), Path.Combine("failed", "download") })
            Directory.CreateDirectory(Path.Combine(transferDir, sub));
        TransferDir = transferDir;
        _watcher = new FileSystemWatcher(transferDir)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        _watcher.Created += OnChange;
        _watcher.Changed += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.Error += (_, _) => Signal();
        _watcher.EnableRaisingEvents = true;
    }

    public string TransferDir { get; }

    /// <summary>Raised on the watcher's thread for every change; keep handlers short.</summary>
    public event EventHandler? Changed;

    /// <summary>One item per burst of changes (coalesced); completes when the watcher is disposed.</summary>
    public ChannelReader<bool> Signals => _signals.Reader;

    private void OnChange(object sender, FileSystemEventArgs e) => Signal();

    private void Signal()
    {
        _signals.Writer.TryWrite(true);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    public void Dispose()
    {
        _watcher.EnableRaisingEvents = false;
        _watcher.Dispose();
        _signals.Writer.TryComplete();
    }
}
