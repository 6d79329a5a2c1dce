using System.Text;
using System.Threading.Channels;
using Tether.Platform.Processes;
using Tether.Platform.Protocol;
using Tether.Sdk.Backends;

namespace Tether.Plugins.External;

/// <summary>
/// One running <c>git-annex-remote-NAME</c> and its line protocol, spoken as git-annex speaks it: the helper says
/// <c>VERSION 1</c>, we offer <c>EXTENSIONS INFO GETGITREMOTENAME ASYNC</c>. A helper that answers without ASYNC is
/// sent one request at a time (one <see cref="HelperJob"/> open); one that answers with ASYNC gets every message as
/// <c>J &lt;job&gt; &lt;message&gt;</c> and runs up to <see cref="HelperOptions.MaxParallel"/> jobs at once, its
/// lines routed to the job they name. Everything the helper sends is hostile: lines are bounded
/// (<see cref="LineProtocolReader"/>: 64 KiB), each request is bounded in time (by its job), and an unknown line, a
/// line for a job that is not running, <c>ERROR</c>, an early exit or a missed deadline kills the process and fails
/// every job running on it (<see cref="Healthy"/> turns false), each with an error naming the remote, the program,
/// its request and what the helper did. The protocol has no way to stop one job, so a cancelled or timed-out job
/// stops the process, as git-annex stops it.
/// </summary>
internal sealed class HelperSession : IAsyncDisposable
{
    /// <summary>Extensions we speak and offer.</summary>
    public const string OfferedExtensions = "INFO GETGITREMOTENAME ASYNC";

    private const string AsyncExtension = "ASYNC";

    /// <summary>Lines read ahead for one job (the reader waits when a job is this far behind).</summary>
    private const int QueuedLines = 16;

    private readonly RunningProcess _process;
    private readonly LineProtocolReader _reader;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Channel<string> _lines = NewInbox(); // without ASYNC: every line, in order, for the job open
    private readonly Dictionary<int, HelperJob> _running = []; // with ASYNC: the jobs running, by number
    private readonly HashSet<int> _numbersUsed = [];
    private readonly TaskCompletionSource<HelperFailure> _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HelperJob? _single;
    private Task _readLoop = Task.CompletedTask;
    private Task _failing = Task.CompletedTask;
    private int _broken;
    private int _disposed;
    private volatile bool _disposing;

    private HelperSession(RunningProcess process, HelperOptions options, HelperRequests requests)
    {
        _process = process;
        Options = options;
        Requests = requests;
        _reader = new LineProtocolReader(process.Output);
    }

    public HelperOptions Options { get; }
    public HelperRequests Requests { get; }

    /// <summary>False once the session is out of step (then it is only disposed).</summary>
    public bool Healthy => Volatile.Read(ref _broken) == 0;

    /// <summary>The helper took ASYNC: one process runs every job, each message tagged with its job number.</summary>
    public bool Async { get; private set; }

    /// <summary>The extensions the helper said it uses.</summary>
    public IReadOnlySet<string> Extensions { get; private set; } = new HashSet<string>();

    /// <summary>Jobs open on this process now.</summary>
    public int RunningJobs
    {
        get { lock (_lock) return _single is null ? _running.Count : 1; }
    }

    /// <summary>The helper's process group, for watching its I/O (null when it does not lead one).</summary>
    public int? ProcessGroup => _process.LeadsGroup ? _process.Id : null;

    /// <summary>Starts the program and does the handshake (VERSION, EXTENSIONS); PREPARE or INITREMOTE is the caller's.</summary>
    /// <exception cref="ExternalRemoteException">The program is missing, or broke the handshake.</exception>
    public static async Task<HelperSession> StartAsync(HelperOptions options, HelperRequests requests, string? workingDirectory, CancellationToken ct)
    {
        if (!Path.IsPathRooted(options.Program) && ProgramOnPath(options.Program) is null)
            throw new ExternalRemoteException($"remote '{options.RemoteName}': cannot run '{options.Program}' (not found on PATH): {MissingHint}");
        RunningProcess process;
        try
        {
            process = ProcessRunner.Start(new ProcessSpec(options.Program, [])
            {
                WorkingDirectory = workingDirectory, OwnProcessGroup = true,
                MissingHint = MissingHint,
            });
        }
        catch (ProcessStartException e)
        {
            throw new ExternalRemoteException($"remote '{options.RemoteName}': {e.Message}", e);
        }
        var session = new HelperSession(process, options, requests);
        session._readLoop = Task.Run(session.ReadLoopAsync, CancellationToken.None);
        try
        {
            await session.HandshakeAsync(ct);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync(CancellationToken ct)
    {
        var handshake = await OpenJobAsync("the start");
        try
        {
            var version = await handshake.ReceiveAsync("the start (VERSION)", ct);
            if (version is not { Command: "VERSION" } || version.Rest.Trim() is not ("1" or "2"))
                throw await handshake.FailAsync($"said '{ProtocolLine.Printable(version.ToString())}' instead of VERSION 1");
            var extensions = await handshake.RequestAsync($"EXTENSIONS {OfferedExtensions}", ["EXTENSIONS", "UNSUPPORTED-REQUEST"], ct);
            if (extensions.Command == "EXTENSIONS")
                Extensions = extensions.Rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            await handshake.CloseAsync();
        }
        if (Extensions.Contains(AsyncExtension)) await SwitchToAsyncAsync();
    }

    /// <summary>From here on every line is tagged; one the helper sent before any request was made is out of step.</summary>
    private async Task SwitchToAsyncAsync()
    {
        string? early;
        lock (_lock)
        {
            Async = true;
            early = _lines.Reader.TryRead(out var line) ? line : null;
        }
        if (early is not null)
            throw Error(await FailAsync(null, $"sent '{ProtocolLine.Printable(early)}' before any request"), "the start", null);
    }

    private const string MissingHint = "install it (for rclone: 'apt-get install git-annex-remote-rclone rclone'), or put a program of that name on PATH";

    /// <summary>
    /// Where PATH has the program (setsid, which starts it in its own group, would only fail later with an exit status).
    /// </summary>
    private static string? ProgramOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(path => File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>
    /// A job for one request after another: the only one without ASYNC, else the lowest free job number (as git-annex
    /// numbers its threads). Null when the session broke or every job is taken.
    /// </summary>
    public HelperJob? TryOpenJob()
    {
        lock (_lock)
        {
            if (!Healthy) return null;
            if (!Async) return _single is null ? _single = new HelperJob(this, null, _lines) : null;
            for (var number = 1; number <= Options.MaxParallel; number++)
            {
                if (_running.ContainsKey(number)) continue;
                var job = new HelperJob(this, number, NewInbox());
                _running[number] = job;
                _numbersUsed.Add(number);
                return job;
            }
            return null;
        }
    }

    /// <summary>A job, or the error the session broke with (it may break between its start and its first request).</summary>
    public async Task<HelperJob> OpenJobAsync(string during) =>
        TryOpenJob() ?? throw (Healthy
            ? new InvalidOperationException($"{Options.Describe}: every job of the helper is taken")
            : Error(await _failure.Task, during, null));

    /// <summary>The job's request is answered. With ASYNC, anything the helper still sent for it is out of step.</summary>
    public async Task CloseAsync(HelperJob job)
    {
        string? stray = null;
        lock (_lock)
        {
            if (_single == job)
            {
                _single = null;
                return;
            }
            if (job.Number is not { } number || !_running.Remove(number)) return;
            job.Inbox.Writer.TryComplete();
            if (Healthy && job.Inbox.Reader.TryRead(out var line)) stray = Stray(JobTag.Wrap(number, line), number);
        }
        if (stray is not null) await FailAsync(null, stray);
    }

    /// <summary>Writes one line (already tagged), whole: writers take turns.</summary>
    public async Task SendAsync(string line, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _writing.WaitAsync(ct);
        try
        {
            await _process.Input.WriteAsync(bytes, ct);
            await _process.Input.FlushAsync(ct);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// Breaks the session (first caller only): kills the helper with everything it started, then, once its exit status and
    /// stderr are in, fails every running job. <paramref name="what"/> null: it exited or closed its output.
    /// </summary>
    public async Task<HelperFailure> FailAsync(HelperJob? cause, string? what)
    {
        Stop(cause, what);
        return await _failure.Task;
    }

    /// <summary>What <see cref="FailAsync"/> starts, without waiting for the error (a cancelled job does not wait).</summary>
    public void Stop(HelperJob? cause, string? what)
    {
        if (Interlocked.Exchange(ref _broken, 1) != 0) return;
        _process.Kill();
        var failing = FailJobsAsync(cause, what);
        lock (_lock) _failing = failing;
    }

    /// <summary>The error the session broke with (it is broken, or breaking).</summary>
    public Task<HelperFailure> FailureAsync() => _failure.Task;

    /// <summary>The error a request gets from a broken session.</summary>
    public HelperProtocolException Error(HelperFailure failure, string during, HelperJob? job) => new(failure.For(Options.Describe, during, job));

    private async Task FailJobsAsync(HelperJob? cause, string? what)
    {
        var failure = new HelperFailure("was stopped", cause);
        try
        {
            if (what is null)
            {
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(2));
                what = _process.ExitCode is { } code ? $"exited (status {code})" : "closed its output";
            }
            var stderr = await StderrTailAsync();
            failure = new HelperFailure(stderr.Length > 0 ? $"{what}; its stderr: {stderr}" : what, cause);
        }
        finally
        {
            _failure.TrySetResult(failure);
            HelperJob[] running;
            lock (_lock) running = _single is { } single ? [single] : [.. _running.Values];
            _lines.Writer.TryComplete();
            foreach (var job in running) job.Inbox.Writer.TryComplete();
            if (cause is null && running.Length == 0 && !_disposing)
                Requests.Log(BackendLogLevel.Warning, $"stopped between requests: the helper {failure.What}");
        }
    }

    /// <summary>Reads the helper's lines and hands each to the job it belongs to, until it ends or breaks.</summary>
    private async Task ReadLoopAsync()
    {
        try
        {
            while (Healthy)
            {
                var text = await _reader.ReadLineAsync(CancellationToken.None);
                if (text is null)
                {
                    await FailAsync(null, null);
                    return;
                }
                if (await RouteAsync(text.TrimEnd('\r')) is { } wrong)
                {
                    await FailAsync(null, wrong);
                    return;
                }
            }
        }
        catch (IOException e)
        {
            await FailAsync(null, e.Message == "protocol line too long" ? "sent a line over 64 KiB" : e.Message);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            await FailAsync(null, "was stopped");
        }
    }

    /// <summary>Queues a line for its job; returns what is wrong with it when it belongs to none.</summary>
    private async Task<string?> RouteAsync(string line)
    {
        while (true)
        {
            ChannelWriter<string> inbox;
            lock (_lock)
            {
                string message;
                if (!Async)
                {
                    inbox = _lines.Writer;
                    message = line;
                }
                else if (!JobTag.TryUnwrap(line, out var number, out message))
                {
                    return ProtocolLine.Parse(line) is { Command: "ERROR" } error
                        ? $"reported an error: {ProtocolLine.Printable(error.Rest)}"
                        : $"sent '{ProtocolLine.Printable(line)}', which names no job (it took ASYNC: every message must be 'J <job> <message>')";
                }
                else if (_running.TryGetValue(number, out var job)) inbox = job.Inbox.Writer;
                else return Stray(line, number);
                if (inbox.TryWrite(message)) return null;
            }
            // The job is behind: wait for it (or for its end: then the line is routed again, and is for no running job).
            if (!await inbox.WaitToWriteAsync() && !Healthy) return null;
        }
    }

    private string Stray(string line, int number) =>
        $"sent '{ProtocolLine.Printable(line)}' for job {number}, which {(_numbersUsed.Contains(number) ? "is not running" : "was never started")}";

    private static Channel<string> NewInbox() =>
        Channel.CreateBounded<string>(new BoundedChannelOptions(QueuedLines) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>The last lines the helper wrote to stderr, for a failure message.</summary>
    public async Task<string> StderrTailAsync()
    {
        var text = (await _process.StderrAsync(TimeSpan.FromMilliseconds(200))).Trim();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return ProtocolLine.Printable(string.Join(" | ", lines.TakeLast(3).Select(l => l.Trim())));
    }

    /// <summary>
    /// Closes the helper's stdin (git-annex's way of saying goodbye), waits a little, then kills what is left; a job
    /// still open fails.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _disposing = true;
        if (!_process.HasExited)
        {
            _process.CloseInput();
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
        Stop(null, "was stopped");
        Task failing;
        lock (_lock) failing = _failing;
        await failing;
        // The pipe closes when the process group is gone; a child that left the group may hold it: then closing our end ends the read.
        try { await _readLoop.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (TimeoutException) { }
        await _process.DisposeAsync();
    }
}
