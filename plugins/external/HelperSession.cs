using System.Globalization;
using System.Text;
using Tether.Platform.Processes;
using Tether.Platform.Protocol;

namespace Tether.Plugins.External;

/// <summary>
/// One running <c>git-annex-remote-NAME</c> and its line protocol, spoken as git-annex speaks it: the helper says
/// <c>VERSION 1</c>, we offer <c>EXTENSIONS INFO GETGITREMOTENAME</c>, then send one request at a time and answer
/// the helper's own messages (<see cref="HelperRequests"/>) until its reply. Everything the helper sends is hostile:
/// lines are bounded (<see cref="LineProtocolReader"/>: 64 KiB), each request is bounded in time, an unknown line,
/// <c>ERROR</c>, an early exit or a missed deadline kills the process and marks the session broken
/// (<see cref="Healthy"/>), with an error naming the remote, the program and the request.
/// </summary>
internal sealed class HelperSession : IAsyncDisposable
{
    /// <summary>Extensions we speak and offer. ASYNC is not offered: one request per process, several processes.</summary>
    public const string OfferedExtensions = "INFO GETGITREMOTENAME";

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly RunningProcess _process;
    private readonly LineProtocolReader _reader;
    private readonly HelperOptions _options;
    private readonly HelperRequests _requests;
    private readonly HelperActivity? _activity;
    private Task<string?>? _pendingRead;

    private HelperSession(RunningProcess process, HelperOptions options, HelperRequests requests)
    {
        _process = process;
        _options = options;
        _requests = requests;
        _reader = new LineProtocolReader(process.Output);
        _activity = process.LeadsGroup ? new HelperActivity(process.Id) : null;
    }

    /// <summary>False once the session is out of step (then it is only disposed).</summary>
    public bool Healthy { get; private set; } = true;

    /// <summary>The extensions the helper said it uses.</summary>
    public IReadOnlySet<string> Extensions { get; private set; } = new HashSet<string>();

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
        try
        {
            var version = await session.ReadAsync("the start (VERSION)", Deadline.After(options.RequestTimeout), null, ct);
            if (version is not { Command: "VERSION" } || version.Value.Rest.Trim() is not ("1" or "2"))
                throw await session.BrokeAsync("the start", version is null ? null : $"said '{ProtocolLine.Printable(version.Value.ToString())}' instead of VERSION 1");
            var extensions = await session.RequestAsync($"EXTENSIONS {OfferedExtensions}", ["EXTENSIONS", "UNSUPPORTED-REQUEST"], ct);
            if (extensions.Command == "EXTENSIONS")
                session.Extensions = extensions.Rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private const string MissingHint = "install it (for rclone: 'apt-get install git-annex-remote-rclone rclone'), or put a program of that name on PATH";

    /// <summary>
    /// Where PATH has the program (setsid, which starts it in its own group, would only fail later with an exit status).
    /// </summary>
    private static string? ProgramOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(path => File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>A request that moves no content: answered within <see cref="HelperOptions.RequestTimeout"/>.</summary>
    public Task<ProtocolLine> RequestAsync(string request, IReadOnlyCollection<string> replies, CancellationToken ct) =>
        ExchangeAsync(request, request, replies, Deadline.After(_options.RequestTimeout), null, ct);

    /// <summary>
    /// A TRANSFER: bounded by <see cref="HelperOptions.StallTimeout"/> of no movement (PROGRESS, <paramref name="growingFile"/>
    /// getting longer, I/O by the helper's processes), not by its length. Progress is reported from PROGRESS, or from
    /// the file's length when the helper sends none.
    /// </summary>
    /// <param name="during">How errors name the request (the TRANSFER line without its file).</param>
    public Task<ProtocolLine> TransferAsync(string request, string during, IReadOnlyCollection<string> replies, IProgress<long> progress, string? growingFile, CancellationToken ct) =>
        ExchangeAsync(request, during, replies, Deadline.Stall(_options.StallTimeout), new TransferWatch(progress, growingFile, _activity), ct);

    private async Task<ProtocolLine> ExchangeAsync(string request, string during, IReadOnlyCollection<string> replies, Deadline deadline, TransferWatch? watch, CancellationToken ct)
    {
        if (!Healthy) throw new InvalidOperationException("the session is out of step");
        await WriteAsync(request, during, ct);
        while (true)
        {
            var line = await ReadAsync(during, deadline, watch, ct) ?? throw await BrokeAsync(during, null);
            if (replies.Contains(line.Command)) return line;
            switch (line.Command)
            {
                case "PROGRESS" when watch is not null:
                    if (!long.TryParse(line.Rest, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)) throw await BrokeAsync(during, $"sent a bad PROGRESS '{ProtocolLine.Printable(line.Rest)}'");
                    if (watch.Reported(bytes)) deadline.Moved();
                    continue;
                case "ERROR":
                    throw await BrokeAsync(during, $"reported an error: {ProtocolLine.Printable(line.Rest)}");
                case "VERSION" or "PROGRESS":
                    throw await BrokeAsync(during, $"sent '{ProtocolLine.Printable(line.ToString())}' out of place");
            }
            if (!HelperRequests.Messages.Contains(line.Command))
                throw await BrokeAsync(during, $"sent '{ProtocolLine.Printable(line.ToString())}', which is no reply to {ProtocolLine.Printable(during)}");
            IReadOnlyList<string> answers;
            try { answers = await _requests.AnswerAsync(line, during, ct); }
            catch (HelperProtocolException)
            {
                Break();
                throw;
            }
            foreach (var answer in answers) await WriteAsync(answer, during, ct);
        }
    }

    /// <summary>The next line; null when the helper closed its output. Waits by ticks so a transfer can be watched.</summary>
    private async Task<ProtocolLine?> ReadAsync(string during, Deadline deadline, TransferWatch? watch, CancellationToken ct)
    {
        _pendingRead ??= ReadLineAsync();
        while (true)
        {
            var tick = Task.Delay(Tick, CancellationToken.None);
            Task finished;
            try { finished = await Task.WhenAny(_pendingRead, tick).WaitAsync(ct); }
            catch (OperationCanceledException)
            {
                Break();
                throw;
            }
            if (finished == _pendingRead)
            {
                string? text;
                try { text = await _pendingRead; }
                catch (IOException e) { throw await BrokeAsync(during, e.Message == "protocol line too long" ? "sent a line over 64 KiB" : e.Message); }
                finally { _pendingRead = null; }
                return text is null ? null : ProtocolLine.Parse(text.TrimEnd('\r'));
            }
            if (watch?.Watch() == true) deadline.Moved();
            if (deadline.Passed)
                throw await BrokeAsync(during, $"gave no answer to {ProtocolLine.Printable(during)} within {deadline.Describe()}; stopped");
        }
    }

    private Task<string?> ReadLineAsync() => _reader.ReadLineAsync(CancellationToken.None);

    private async Task WriteAsync(string line, string during, CancellationToken ct)
    {
        if (line.Contains('\n') || line.Contains('\r')) throw new ExternalRemoteException($"{_options.Describe}: {during}: a line to send holds a line break; refused");
        try
        {
            await _process.Input.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
            await _process.Input.FlushAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Break();
            throw;
        }
        catch (IOException) { throw await BrokeAsync(during, null); } // it exited: its exit status and stderr say why
    }

    /// <summary>Marks the session broken, kills the helper, and builds the error: what it did, or how it ended (exit status, stderr).</summary>
    private async Task<HelperProtocolException> BrokeAsync(string during, string? what)
    {
        Break();
        if (what is null)
        {
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(2));
            what = _process.ExitCode is { } code ? $"exited (status {code})" : "closed its output";
        }
        var stderr = await StderrTailAsync();
        return new HelperProtocolException($"{_options.Describe}: {ProtocolLine.Printable(during)}: the helper {what}{(stderr.Length > 0 ? $"; its stderr: {stderr}" : "")}");
    }

    /// <summary>The last lines the helper wrote to stderr, for a failure message.</summary>
    public async Task<string> StderrTailAsync()
    {
        var text = (await _process.StderrAsync(TimeSpan.FromMilliseconds(200))).Trim();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return ProtocolLine.Printable(string.Join(" | ", lines.TakeLast(3).Select(l => l.Trim())));
    }

    private void Break()
    {
        Healthy = false;
        _process.Kill();
    }

    /// <summary>Closes the helper's stdin (git-annex's way of saying goodbye), waits a little, then kills what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.CloseInput();
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
        await _process.DisposeAsync();
    }

    /// <summary>A request's bound: a fixed deadline, or a stall limit that movement pushes back.</summary>
    private sealed class Deadline(TimeSpan limit, bool stall)
    {
        private DateTime _until = DateTime.UtcNow + limit;

        public static Deadline After(TimeSpan limit) => new(limit, stall: false);
        public static Deadline Stall(TimeSpan limit) => new(limit, stall: true);

        public bool Passed => DateTime.UtcNow >= _until;

        public void Moved()
        {
            if (stall) _until = DateTime.UtcNow + limit;
        }

        public string Describe() => stall ? $"{limit.TotalSeconds:0.#} s without any progress" : $"{limit.TotalSeconds:0.#} s";
    }

    /// <summary>What shows a transfer is moving: PROGRESS counts, the destination file's length, the helper's I/O.</summary>
    private sealed class TransferWatch(IProgress<long> progress, string? growingFile, HelperActivity? activity)
    {
        private long _reported = -1;
        private bool _helperReports;

        public bool Reported(long bytes)
        {
            _helperReports = true;
            if (bytes <= _reported) return false;
            _reported = bytes;
            progress.Report(bytes);
            return true;
        }

        public bool Watch()
        {
            var moved = activity?.Moved() == true;
            if (_helperReports || growingFile is null) return moved;
            try
            {
                var length = new FileInfo(growingFile) is { Exists: true } info ? info.Length : -1;
                if (length > _reported)
                {
                    _reported = length;
                    progress.Report(length);
                    return true;
                }
            }
            catch (IOException) { }
            return moved;
        }
    }
}
