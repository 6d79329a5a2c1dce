using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Backends;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Merging;
using Tether.Kernel.Remotes;
using Tether.Kernel.Status;
using Tether.Kernel.Threads;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// One remote's worker: a plain remote that cannot be reached is a failure (a push-failed event, a retry); a drive
/// (a remote a trigger watches) whose repository vanished from its path was unplugged, and the trigger says so.
/// </summary>
public sealed class RemoteWorkerTests
{
    [Theory]
    [InlineData(true, true)]   // a plain remote: failing is news
    [InlineData(false, false)] // a drive unplugged mid-push: its trigger reports the departure
    public async Task APushToARepositoryThatIsGoneIsReportedOnlyForARemoteNobodyWatches(bool announcesConnection, bool expectFailure)
    {
        using var dir = new TempFolder();
        var laptop = await Node.CreateAsync(dir.Combine("laptop"), "laptop");
        var drive = await Node.CreateAsync(dir.Combine("drive"), "drive", bare: true);
        laptop.Write("notes.txt", "hello\n");
        await laptop.SyncAsync();
        Directory.Delete(drive.Path, recursive: true); // unmounted: the repository is no longer at its path

        var events = new EventBus();
        var seen = events.Subscribe();
        var status = new DaemonStatus(laptop.Path, TimeProvider.System);
        var gitSync = new GitRemoteSync(laptop.Repo, new GitTransport(laptop.Repo), new BranchMerger(laptop.Repo, TimeProvider.System, NullLogger.Instance),
            TimeProvider.System, NullLogger.Instance);
        var worker = new RemoteWorker(new Remote("usb", drive.Path, "local", 100, null), laptop.Repo,
            new RemoteEndpointFactory(laptop.Repo, BackendRegistry.BuiltIn(TimeProvider.System), TimeProvider.System), gitSync, TimeSpan.FromMinutes(5),
            Channel.CreateUnbounded<Arrival>().Writer, events, status, TimeProvider.System, NullLogger.Instance)
        { AnnouncesConnection = announcesConnection };

        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        worker.Request(RemoteWork.Push);
        await Eventually.TrueAsync(() => status.Snapshot().Remotes.Any(r => r.Name == "usb" && r.NextRetryAt is not null),
            TimeSpan.FromSeconds(20), () => "the worker never tried the push");
        await stop.CancelAsync();
        await running;

        var pushes = new List<PushEvent>();
        while (seen.TryRead(out var e)) if (e is PushEvent p) pushes.Add(p);
        Assert.Equal(expectFailure, pushes.Any(p => !p.Ok));
        Assert.DoesNotContain(pushes, p => p.Ok);
    }
}
