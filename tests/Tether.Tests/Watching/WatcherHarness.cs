using System.Threading.Channels;
using Tether.Kernel.Watching;
using Tether.Kernel.Threads;

namespace Tether.Tests.Watching;

/// <summary>
/// Runs a <see cref="WorkTreeWatcher"/> on a folder and collects everything it reports, like a consumer that only
/// records. Every wait is bounded.
/// </summary>
internal sealed class WatcherHarness : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<WorkTreeChange> channel = Channel.CreateUnbounded<WorkTreeChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<WorkTreeChange> changes = [];
    private readonly CancellationTokenSource cts = new();
    private readonly Task collector;

    private WatcherHarness(string root, WatcherOptions? options)
    {
        Watcher = new WorkTreeWatcher(root, channel.Writer, Log, options);
        Run = Watcher.RunAsync(cts.Token);
        collector = Task.Run(async () =>
        {
            await foreach (var change in channel.Reader.ReadAllAsync())
                lock (changes) changes.Add(change);
        });
    }

    public WorkTreeWatcher Watcher { get; }

    public Task Run { get; }

    public ListLogger Log { get; } = new();

    public static async Task<WatcherHarness> StartAsync(string root, WatcherOptions? options = null)
    {
        var harness = new WatcherHarness(root, options);
        await harness.Watcher.Ready.WaitAsync(DefaultTimeout);
        return harness;
    }

    public IReadOnlyList<WorkTreeChange> Changes
    {
        get { lock (changes) return changes.ToList(); }
    }

    public void Clear()
    {
        lock (changes) changes.Clear();
    }

    public bool Has(WorkTreeChangeKind kind, string path) => Changes.Contains(new WorkTreeChange(kind, path));

    public HashSet<string> Paths(WorkTreeChangeKind kind) =>
        Changes.Where(c => c.Kind == kind).Select(c => c.RelativePath).ToHashSet(StringComparer.Ordinal);

    /// <summary>Waits until <paramref name="condition"/> holds for the changes seen so far, or the timeout passes; returns whether it held.</summary>
    public async Task<bool> WaitUntilAsync(Func<IReadOnlyList<WorkTreeChange>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            if (condition(Changes)) return true;
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(20);
        }
    }

    public Task<bool> WaitForAsync(WorkTreeChangeKind kind, string path, TimeSpan? timeout = null) =>
        WaitUntilAsync(changes => changes.Contains(new WorkTreeChange(kind, path)), timeout);

    public async Task StopAsync()
    {
        cts.Cancel();
        await Run.WaitAsync(DefaultTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        cts.Cancel();
        try
        {
            await Run.WaitAsync(DefaultTimeout);
        }
        finally
        {
            channel.Writer.TryComplete();
            await collector.WaitAsync(DefaultTimeout);
            Watcher.Dispose();
            cts.Dispose();
        }
    }
}
