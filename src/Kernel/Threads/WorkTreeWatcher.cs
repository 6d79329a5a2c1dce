using System.IO.Enumeration;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Native;
using Tether.Platform.Native;
using Tether.Kernel.Watching;
using static Tether.Kernel.Native.Inotify;

namespace Tether.Kernel.Threads;

// Over 300 lines on purpose: the watch map (wd ↔ path), folder moves, overflow and the watch-limit fallback share one
// inotify descriptor and one event loop's state; split apart, each piece would need the others' maps.

/// <summary>
/// Watches a work tree recursively and writes every change to a channel as a <see cref="WorkTreeChange"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why a direct inotify binding and not <see cref="FileSystemWatcher"/>: inotify gives IN_CLOSE_WRITE, so we know when
/// a writer has finished with a file instead of guessing from a stream of "changed" events; IN_Q_OVERFLOW, so a lost
/// event is detected exactly (and answered with <see cref="WorkTreeChangeKind.RescanAll"/>) rather than surfacing as a
/// vague error; and ENOSPC from inotify_add_watch, so hitting <c>fs.inotify.max_user_watches</c> is detected per folder
/// instead of folders silently going unwatched. It also lets us add the watch for a new subfolder ourselves and then scan
/// it, which closes the <c>mkdir -p a/b/c &amp;&amp; touch a/b/c/f</c> race that FileSystemWatcher loses.
/// </para>
/// <para>
/// One dedicated thread owns the inotify descriptor: it waits in poll(2) (no CPU while idle; an eventfd wakes it on
/// cancellation), reads up to 256 KiB of events at a time, and writes changes straight to the channel. With an unbounded
/// channel the consumer never slows the reader. With a bounded channel the thread waits for room; meanwhile the kernel
/// keeps queueing (up to <c>fs.inotify.max_queued_events</c>, 16384 by default), and if that queue overflows we get
/// IN_Q_OVERFLOW and emit <see cref="WorkTreeChangeKind.RescanAll"/>, which is still correct, just slower.
/// </para>
/// <para>
/// Nothing under <c>.git/</c> or <c>.tether/</c> at the root is watched or reported, and symlinked folders are not followed.
/// The initial setup reports nothing: once <see cref="Ready"/> completes, the consumer should do its own full scan, after
/// which every change is reported. Events are at-least-once: duplicates happen (the consumer dedupes), and a path may be
/// gone by the time the consumer looks at it.
/// </para>
/// </remarks>
public sealed class WorkTreeWatcher : IDisposable
{
    private const uint WatchMask = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE
        | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

    internal const int ReadBufferSize = 256 * 1024;
    private const int MaxReadsPerWakeUp = 16; // then poll again, so the fallback timer is not starved by a steady stream
    private const string MaxUserWatchesFile = "/proc/sys/fs/inotify/max_user_watches";

    private static readonly EnumerationOptions ListOneFolder = new()
    {
        AttributesToSkip = 0, // dotfiles are "hidden" on Unix; we want them all
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private readonly string root;
    private readonly ChannelWriter<WorkTreeChange> output;
    private readonly ILogger log;
    private readonly WatcherOptions options;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource disposed = new();
    private int started;
    private long wakeUps;

    // Everything below is touched only by the watcher thread.
    private readonly Dictionary<int, string> pathByWd = [];
    private readonly Dictionary<string, int> wdByPath = new(StringComparer.Ordinal);
    private readonly HashSet<string> unwatched = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, (string Path, List<int> Wds, long Batch)> pendingFolderMoves = [];
    private readonly HashSet<string> writingInBatch = new(StringComparer.Ordinal);
    private int inotifyFd = -1;
    private bool fallbackActive;
    private long nextFallbackRescanMs;
    private long batch;
    private CancellationToken token;

    public WorkTreeWatcher(string workTreeRoot, ChannelWriter<WorkTreeChange> output, ILogger log, WatcherOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(workTreeRoot);
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workTreeRoot));
        this.output = output ?? throw new ArgumentNullException(nameof(output));
        this.log = log ?? throw new ArgumentNullException(nameof(log));
        this.options = options ?? new WatcherOptions();
        if (this.options.FallbackRescanInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "FallbackRescanInterval must be positive");
    }

    /// <summary>
    /// Completes once every folder present at start is watched (changes from then on are reported). Faults if the
    /// watcher could not start; cancelled if <see cref="RunAsync"/> was cancelled before that.
    /// </summary>
    public Task Ready => ready.Task;

    /// <summary>How many times the watcher thread woke up (events, timer or cancellation). For tests: stays put while idle.</summary>
    internal long WakeUps => Interlocked.Read(ref wakeUps);

    /// <summary>
    /// Watches until <paramref name="ct"/> is cancelled or the watcher is disposed, then returns normally (no
    /// <see cref="OperationCanceledException"/>); also returns if <c>output</c> is completed by someone else. Throws if
    /// inotify cannot be set up or the root does not exist. Does not complete <c>output</c>. Call at most once.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref started, 1) != 0) throw new InvalidOperationException("RunAsync can only be called once");
        ObjectDisposedException.ThrowIf(disposed.IsCancellationRequested, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, disposed.Token);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(linked.Token);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "Tether work-tree watcher",
        };
        thread.Start();
        await done.Task.ConfigureAwait(false);
    }

    /// <summary>Stops a running watcher (as cancelling its token would). Does not wait for it.</summary>
    public void Dispose() => disposed.Cancel();

    private void Run(CancellationToken ct)
    {
        token = ct;
        var wakeFd = -1;
        try
        {
            if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"work tree not found: {root}");
            inotifyFd = Inotify.Init();
            wakeFd = WakeablePoll.CreateWakeFd();
            var fdToWake = wakeFd;
            using (ct.Register(() => WakeablePoll.Wake(fdToWake)))
            {
                ct.ThrowIfCancellationRequested();
                ScanTree("", emitFiles: false);
                ready.TrySetResult();
                log.LogInformation("Watching {Root} ({Folders} folders)", root, pathByWd.Count);
                Loop(wakeFd);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
            log.LogInformation("Stopped watching {Root}: the change channel was completed", root);
        }
        catch (Exception e)
        {
            ready.TrySetException(e);
            throw;
        }
        finally
        {
            ready.TrySetCanceled(ct.IsCancellationRequested ? ct : new CancellationToken(true));
            WakeablePoll.Close(inotifyFd);
            WakeablePoll.Close(wakeFd);
            inotifyFd = -1;
            log.LogDebug("Watcher for {Root} stopped", root);
        }
    }

    private void Loop(int wakeFd)
    {
        var buffer = new byte[ReadBufferSize];
        var events = new List<InotifyEvent>();
        while (!token.IsCancellationRequested)
        {
            var timeout = fallbackActive ? (int)Math.Clamp(nextFallbackRescanMs - Environment.TickCount64, 0, int.MaxValue) : -1;
            var (polled, woken) = WakeablePoll.Wait(inotifyFd, WakeablePoll.In, wakeFd, timeout);
            var readable = polled != 0;
            Interlocked.Increment(ref wakeUps);
            if (woken || token.IsCancellationRequested) return;
            if (readable) DrainEvents(buffer, events);
            if (fallbackActive && Environment.TickCount64 >= nextFallbackRescanMs) FallbackRescan();
        }
    }

    /// <summary>Reads and handles events until the kernel queue is empty (or a bounded number of reads).</summary>
    private void DrainEvents(byte[] buffer, List<InotifyEvent> events)
    {
        for (var reads = 0; reads < MaxReadsPerWakeUp; reads++)
        {
            token.ThrowIfCancellationRequested();
            var n = Read(inotifyFd, buffer);
            if (n == 0)
            {
                ForgetFoldersMovedOut(all: true);
                return;
            }
            batch++;
            events.Clear();
            Parse(buffer.AsSpan(0, n), events);
            foreach (var e in events) Handle(e);
            writingInBatch.Clear();
            ForgetFoldersMovedOut(all: false);
        }
    }

    private void Handle(InotifyEvent e)
    {
        if (e.Has(IN_Q_OVERFLOW))
        {
            HandleOverflow();
            return;
        }
        if (e.Has(IN_UNMOUNT)) options.RootMayHaveChanged?.Invoke();
        if (!pathByWd.TryGetValue(e.Wd, out var folder)) return; // a watch we already dropped
        if (e.Name is null)
        {
            // About the watched folder itself. Its removal or move is reported through its parent's events.
            if (folder.Length == 0 && e.Has(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
            {
                if (e.Has(IN_DELETE_SELF | IN_MOVE_SELF))
                    log.LogWarning("The work tree {Root} was deleted or moved away; nothing more will be reported", root);
                options.RootMayHaveChanged?.Invoke();
            }
            if (e.Has(IN_DELETE_SELF | IN_IGNORED)) Forget(e.Wd); // the kernel dropped (or is dropping) the watch
            return;
        }
        if (folder.Length == 0 && IsExcludedAtRoot(e.Name))
        {
            if (e.Name == ".git") options.RootMayHaveChanged?.Invoke();
            return;
        }
        var path = Join(folder, e.Name);
        if (e.IsDirectory) HandleFolderEvent(e, path);
        else HandleFileEvent(e, path);
    }

    private void HandleFileEvent(InotifyEvent e, string path)
    {
        if (e.Has(IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB))
        {
            writingInBatch.Remove(path);
            Emit(WorkTreeChangeKind.Written, path);
        }
        else if (e.Has(IN_CREATE))
        {
            if (IsSymlink(path))
            {
                Emit(WorkTreeChangeKind.Written, path);
            }
            else
            {
                writingInBatch.Add(path);
                Emit(WorkTreeChangeKind.Writing, path);
            }
        }
        else if (e.Has(IN_MODIFY))
        {
            // One Writing per path per read batch is enough; a later batch reports it again (the consumer's quiet timer restarts).
            if (writingInBatch.Add(path)) Emit(WorkTreeChangeKind.Writing, path);
        }
        else if (e.Has(IN_DELETE | IN_MOVED_FROM))
        {
            writingInBatch.Remove(path);
            Emit(WorkTreeChangeKind.Removed, path);
        }
    }

    private void HandleFolderEvent(InotifyEvent e, string path)
    {
        if (e.Has(IN_CREATE))
        {
            // Already watched: an ancestor's scan listed it after watching it, and its own watch reports what came since.
            // Scanning it again made a deep tree created folder by folder cost O(depth²) (1,000 levels: minutes).
            if (!IsWatchedAlready(path)) ScanTree(path, emitFiles: true);
        }
        else if (e.Has(IN_MOVED_TO))
        {
            // Moved within the tree: adding the watch returns the folder's existing wd, and TryWatch rewrites the paths
            // of it and every folder under it. Moved in from outside: new watches. Either way the scan reports its files.
            pendingFolderMoves.Remove(e.Cookie);
            ScanTree(path, emitFiles: true);
        }
        else if (e.Has(IN_MOVED_FROM))
        {
            Emit(WorkTreeChangeKind.Removed, path);
            // Remember which watches were there: if no IN_MOVED_TO follows, the folder left the tree.
            pendingFolderMoves[e.Cookie] = (path, FoldersUnder(wdByPath, path).Select(kv => kv.Value).ToList(), batch);
        }
        else if (e.Has(IN_DELETE))
        {
            Emit(WorkTreeChangeKind.Removed, path);
        }
        else if (e.Has(IN_ATTRIB) && !wdByPath.ContainsKey(path) && !unwatched.Contains(path))
        {
            ScanTree(path, emitFiles: true); // skipped before (EACCES); perhaps readable now
        }
    }

    /// <summary>
    /// Folders moved away whose IN_MOVED_TO never came: they left the tree, so stop watching them. The kernel queues
    /// IN_MOVED_TO right after IN_MOVED_FROM, so a move is given up once the queue is empty (<paramref name="all"/>) or
    /// one more read has passed without its IN_MOVED_TO (the pair may straddle two reads). Only the watches that were
    /// under the old path at the time are dropped, so a new folder created at the same path meanwhile keeps its watch.
    /// Entries in the unwatched set are left for the fallback retry, which finds them gone.
    /// </summary>
    private void ForgetFoldersMovedOut(bool all)
    {
        if (pendingFolderMoves.Count == 0) return;
        foreach (var (cookie, (oldPath, wds, movedIn)) in pendingFolderMoves.ToList())
        {
            if (!all && movedIn == batch) continue;
            pendingFolderMoves.Remove(cookie);
            foreach (var wd in wds)
            {
                if (!pathByWd.TryGetValue(wd, out var path) || !IsUnder(path, oldPath)) continue; // moved within the tree after all
                Inotify.RemoveWatch(inotifyFd, wd);
                Forget(wd);
            }
            log.LogDebug("Folder {Folder} moved out of the work tree", oldPath);
        }
    }

    private void HandleOverflow()
    {
        log.LogWarning("inotify event queue overflowed (fs.inotify.max_queued_events) while watching {Root}; events were lost, requesting a full rescan", root);
        pendingFolderMoves.Clear();
        writingInBatch.Clear();
        // Folders created or moved while events were lost are not watched yet: watch them first, then ask for the
        // rescan, so nothing falls between the consumer's scan and the watches.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ScanTree("", emitFiles: false, seen);
        foreach (var (wd, path) in pathByWd.ToList())
        {
            if (seen.Contains(path) && wdByPath.GetValueOrDefault(path) == wd) continue;
            Inotify.RemoveWatch(inotifyFd, wd); // gone or moved out
            Forget(wd);
        }
        Emit(WorkTreeChangeKind.RescanAll, "");
    }

    /// <summary>
    /// Watches <paramref name="start"/> and every folder under it (iteratively), each watch added before its folder is
    /// listed so nothing created meanwhile is missed. With <paramref name="emitFiles"/>, reports every file and symlink found as Written.
    /// </summary>
    private void ScanTree(string start, bool emitFiles, HashSet<string>? seen = null)
    {
        var stack = new Stack<string>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            token.ThrowIfCancellationRequested();
            var folder = stack.Pop();
            if (!TryWatch(folder)) continue;
            seen?.Add(folder);
            List<(string Name, bool IsFolder)> entries;
            try
            {
                entries = ListFolder(FullPath(folder), withFiles: emitFiles);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // deleted meanwhile (its removal is reported by its parent)
            }
            foreach (var (name, isFolder) in entries)
            {
                if (folder.Length == 0 && IsExcludedAtRoot(name)) continue;
                var path = Join(folder, name);
                if (isFolder) stack.Push(path);
                else Emit(WorkTreeChangeKind.Written, path);
            }
        }
    }

    /// <summary>
    /// A folder's entries, links never counted as folders; without <paramref name="withFiles"/> only its folders. Entry
    /// types come from the listing itself, so a file costs no stat (a startup scan of 100,000 files lists them all).
    /// </summary>
    private static List<(string Name, bool IsFolder)> ListFolder(string fullPath, bool withFiles) =>
    [
        .. new FileSystemEnumerable<(string, bool)>(fullPath, (ref FileSystemEntry e) => (e.FileName.ToString(), IsFolder(ref e)), ListOneFolder)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => withFiles || IsFolder(ref e),
        },
    ];

    /// <summary>A folder and not a link to one (only entries that are or point to folders have their attributes looked at).</summary>
    private static bool IsFolder(ref FileSystemEntry e) => e.IsDirectory && (e.Attributes & FileAttributes.ReparsePoint) == 0;

    /// <summary>True when the folder at this path (this very folder, not one made since at the same path) is watched.</summary>
    private bool IsWatchedAlready(string folder) =>
        wdByPath.TryGetValue(folder, out var known) && AddWatch(inotifyFd, FullPath(folder), WatchMask, out _) == known;

    /// <summary>Adds (or refreshes) the watch on a folder. False when the folder cannot be listed (gone, not a folder, no access).</summary>
    private bool TryWatch(string folder)
    {
        var wd = AddWatch(inotifyFd, FullPath(folder), WatchMask, out var errno);
        if (wd >= 0)
        {
            if (pathByWd.TryGetValue(wd, out var known))
            {
                if (known != folder && known.Length > 0) MoveFolders(known, folder);
                return true;
            }
            if (options.MaxWatchesForTesting is int max && pathByWd.Count >= max)
            {
                Inotify.RemoveWatch(inotifyFd, wd);
                errno = ENOSPC;
            }
            else
            {
                if (wdByPath.TryGetValue(folder, out var replaced))
                {
                    Inotify.RemoveWatch(inotifyFd, replaced); // a folder that used to be at this path
                    pathByWd.Remove(replaced);
                }
                pathByWd[wd] = folder;
                wdByPath[folder] = wd;
                unwatched.Remove(folder);
                log.LogDebug("Watching {Folder}", folder);
                return true;
            }
        }

        switch (errno)
        {
            case ENOSPC:
                unwatched.Add(folder);
                EnterFallback();
                return true; // still list it: its files are reported, its subfolders tried
            case EACCES:
                log.LogWarning("Cannot watch {Folder}: permission denied; skipping it", folder);
                return false;
            case ENOENT or ENOTDIR or ELOOP:
                unwatched.Remove(folder);
                return false;
            default:
                log.LogWarning("Cannot watch {Folder}: inotify_add_watch failed with errno {Errno}; skipping it", folder, errno);
                return false;
        }
    }

    /// <summary>A watched folder was renamed within the tree: rewrite its path and the paths of all folders under it.</summary>
    private void MoveFolders(string from, string to)
    {
        var moved = FoldersUnder(wdByPath, from);
        foreach (var (path, _) in moved) wdByPath.Remove(path);
        foreach (var (path, wd) in moved)
        {
            var newPath = to + path[from.Length..];
            pathByWd[wd] = newPath;
            wdByPath[newPath] = wd;
        }
        foreach (var path in unwatched.Where(p => IsUnder(p, from)).ToList())
        {
            unwatched.Remove(path);
            unwatched.Add(to + path[from.Length..]);
        }
        log.LogDebug("Folder moved from {From} to {To}", from, to);
    }

    private void Forget(int wd)
    {
        if (!pathByWd.Remove(wd, out var path)) return;
        if (wdByPath.TryGetValue(path, out var current) && current == wd) wdByPath.Remove(path);
    }

    private void EnterFallback()
    {
        if (fallbackActive) return;
        fallbackActive = true;
        nextFallbackRescanMs = Environment.TickCount64 + (long)options.FallbackRescanInterval.TotalMilliseconds;
        options.DegradedChanged?.Invoke(
            $"inotify watch limit reached (fs.inotify.max_user_watches = {ReadMaxUserWatches()}): some folders are rescanned every "
            + $"{options.FallbackRescanInterval.TotalSeconds} s instead of watched; raise it with: sudo sysctl fs.inotify.max_user_watches=524288");
        log.LogError(
            "inotify watch limit reached (fs.inotify.max_user_watches = {MaxUserWatches}, read from " + MaxUserWatchesFile + "); "
            + "some folders are not watched; falling back to a rescan every {IntervalSeconds} s. "
            + "Raise it with: sudo sysctl fs.inotify.max_user_watches=524288 (and persist in /etc/sysctl.d/)",
            ReadMaxUserWatches(), options.FallbackRescanInterval.TotalSeconds);
    }

    /// <summary>Retries the folders that could not be watched (and any new folders under them), then asks for a full rescan.</summary>
    private void FallbackRescan()
    {
        var targets = unwatched.ToHashSet(StringComparer.Ordinal);
        unwatched.Clear();
        foreach (var folder in targets)
            if (!HasAncestorIn(folder, targets)) ScanTree(folder, emitFiles: false); // else scanned with its ancestor
        Emit(WorkTreeChangeKind.RescanAll, "");
        nextFallbackRescanMs = Environment.TickCount64 + (long)options.FallbackRescanInterval.TotalMilliseconds;
        if (unwatched.Count == 0)
        {
            fallbackActive = false;
            options.DegradedChanged?.Invoke(null);
            log.LogInformation("All folders under {Root} are watched again; periodic rescans stopped", root);
        }
    }

    private void Emit(WorkTreeChangeKind kind, string path)
    {
        var change = kind == WorkTreeChangeKind.RescanAll ? WorkTreeChange.RescanAll : new WorkTreeChange(kind, path);
        if (!output.TryWrite(change))
            output.WriteAsync(change, token).AsTask().GetAwaiter().GetResult(); // bounded and full: wait (see remarks)
    }

    private bool IsSymlink(string path)
    {
        try
        {
            return (File.GetAttributes(FullPath(path)) & FileAttributes.ReparsePoint) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string ReadMaxUserWatches()
    {
        try
        {
            return File.ReadAllText(MaxUserWatchesFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static bool HasAncestorIn(string path, HashSet<string> folders)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            if (folders.Contains(path[..slash])) return true;
        return folders.Contains("") && path.Length > 0;
    }

    private static List<KeyValuePair<string, int>> FoldersUnder(Dictionary<string, int> wdByPath, string folder) =>
        wdByPath.Where(kv => IsUnder(kv.Key, folder)).ToList();

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it.</summary>
    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder, StringComparison.Ordinal) && (path.Length == folder.Length || path[folder.Length] == '/');

    private static bool IsExcludedAtRoot(string name) => name is ".git" or ".tether";

    private static string Join(string folder, string name) => folder.Length == 0 ? name : folder + "/" + name;

    private string FullPath(string relative) => relative.Length == 0 ? root : Path.Join(root, relative);
}
