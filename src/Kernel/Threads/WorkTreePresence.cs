using Microsoft.Extensions.Logging;
using Tether.Kernel.Events;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;
using Tether.Kernel.Coordination;
using Tether.Kernel.Daemon;
using Tether.Platform.Drives;

namespace Tether.Kernel.Threads;

/// <summary>
/// Watches that the work tree the daemon started on is still there: its root and its git folder keep the
/// (device, inode) they had at start. An unmounted drive leaves an empty folder (another device) behind, a
/// moved or deleted repository leaves nothing; both would read as "every file deleted". While the work tree
/// is gone, syncing is paused (nothing committed, pulled, merged or pushed), an error event is raised and
/// `tether status` shows it; when the same work tree is back, syncing resumes with a full scan.
/// </summary>
public sealed class WorkTreePresence
{
    public const string Topic = "work tree";

    private readonly AnnexRepository _repo;
    private readonly FileIdentity.Id? _root;
    private readonly FileIdentity.Id? _gitDir;
    private readonly Doorbell _lookAgain = new();
    private string? _problem;

    public WorkTreePresence(AnnexRepository repo)
    {
        _repo = repo;
        _root = FileIdentity.OfPath(repo.DisplayPath);
        _gitDir = FileIdentity.OfPath(repo.GitDir);
    }

    /// <summary>Null while the work tree is the one the daemon started on; else what is wrong, for the user.</summary>
    public string? Problem()
    {
        var root = FileIdentity.OfPath(_repo.DisplayPath);
        var gitDir = FileIdentity.OfPath(_repo.GitDir);
        if (root == _root && gitDir == _gitDir) return null;
        if (root is null || gitDir is null)
            return $"The work tree {_repo.DisplayPath} is gone (its drive unmounted, or the folder moved or deleted): "
                + "nothing is committed, pulled or pushed until it is back; remount it or stop this daemon ('tether stop' cannot reach it, send SIGTERM)";
        return $"The work tree {_repo.DisplayPath} is gone: the folder there now is not the one this daemon started on (its drive unmounted?); "
            + "nothing is committed, pulled or pushed until it is back; remount it, or stop this daemon and start 'tether watch' again";
    }

    /// <summary>Rung by the watcher when the root folder, a mount under it or its <c>.git</c> changed.</summary>
    public void LookAgain() => _lookAgain.Ring();

    /// <summary>
    /// Looks again whenever the mount table changes or <see cref="LookAgain"/> rings, and every
    /// <paramref name="safetyInterval"/> for what neither reports (a parent folder renamed); pauses syncing while the
    /// work tree is gone, resumes (then calls <paramref name="back"/>) when it returns. Nothing wakes while nothing changes.
    /// </summary>
    public async Task RunAsync(SyncPause pause, DaemonStatus status, EventBus events, Action back, TimeSpan safetyInterval, TimeProvider clock, ILogger log, CancellationToken ct)
    {
        using var mounts = new MountInfoWatcher();
        var forwarding = ForwardMountChangesAsync(mounts, ct);
        while (!ct.IsCancellationRequested)
        {
            await _lookAgain.WaitAsync(safetyInterval, clock, ct);
            if (ct.IsCancellationRequested) break;
            Check(pause, status, events, back, clock, log);
        }
        await forwarding;
    }

    private async Task ForwardMountChangesAsync(MountInfoWatcher mounts, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await mounts.WaitForChangeAsync(ct);
                _lookAgain.Ring();
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (e is IOException or System.Threading.Channels.ChannelClosedException) { } // the safety interval still looks
    }

    private void Check(SyncPause pause, DaemonStatus status, EventBus events, Action back, TimeProvider clock, ILogger log)
    {
        var problem = Problem();
        if (problem == _problem) return;
        _problem = problem;
        if (problem is not null)
        {
            log.LogError("{Problem}", problem);
            pause.Pause(Topic, problem);
            status.SetWarning(Topic, problem);
            events.Publish(new ErrorEvent(clock.GetUtcNow(), Topic, problem));
            return;
        }
        log.LogWarning("The work tree {Root} is back; syncing again after a full scan", _repo.DisplayPath);
        status.SetWarning(Topic, null);
        pause.Resume(Topic);
        back();
    }
}
