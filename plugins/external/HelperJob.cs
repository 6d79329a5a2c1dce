using System.Globalization;
using System.Threading.Channels;

namespace Tether.Plugins.External;

/// <summary>
/// One request after another on a <see cref="HelperSession"/>: the session's only job when the helper does not speak
/// ASYNC, else one of its numbered jobs (each message sent as <c>J &lt;number&gt; ...</c>, and the lines the helper tags
/// with that number queued here). It sends a request, answers the helper's own messages (<see cref="HelperRequests"/>,
/// tagged like the request) and waits for the reply, within the request's bound.
/// </summary>
internal sealed class HelperJob
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly HelperSession _session;
    private Task<bool>? _waiting;

    public HelperJob(HelperSession session, int? number, Channel<string> inbox)
    {
        _session = session;
        Number = number;
        Inbox = inbox;
    }

    public HelperSession Session => _session;

    /// <summary>The ASYNC job number; null without ASYNC (messages go untagged).</summary>
    public int? Number { get; }

    /// <summary>The helper's lines for this job, untagged, in order.</summary>
    public Channel<string> Inbox { get; }

    /// <summary>The request it runs (or ran last), as errors name it.</summary>
    public string During { get; private set; } = "the start";

    /// <summary>How errors of other jobs name this one.</summary>
    public string Name => Number is { } number ? $"job {number}" : "its request";

    private HelperOptions Options => _session.Options;

    /// <summary>A request that moves no content: answered within <see cref="HelperOptions.RequestTimeout"/>.</summary>
    public Task<ProtocolLine> RequestAsync(string request, IReadOnlyCollection<string> replies, CancellationToken ct) =>
        ExchangeAsync(request, request, replies, Deadline.After(Options.RequestTimeout), null, ct);

    /// <summary>
    /// A TRANSFER: bounded by <see cref="HelperOptions.StallTimeout"/> of no movement (PROGRESS, <paramref name="growingFile"/>
    /// getting longer, I/O by the helper's processes), not by its length. Progress is reported from PROGRESS, or from
    /// the file's length when the helper sends none.
    /// </summary>
    /// <param name="during">How errors name the request (the TRANSFER line without its file).</param>
    public Task<ProtocolLine> TransferAsync(string request, string during, IReadOnlyCollection<string> replies, IProgress<long> progress, string? growingFile, CancellationToken ct)
    {
        var activity = _session.ProcessGroup is { } group ? new HelperActivity(group) : null;
        return ExchangeAsync(request, during, replies, Deadline.Stall(Options.StallTimeout), new TransferWatch(progress, growingFile, activity), ct);
    }

    /// <summary>The next line the helper sends unasked (its VERSION), within the request timeout.</summary>
    public Task<ProtocolLine> ReceiveAsync(string during, CancellationToken ct)
    {
        During = during;
        return ReadAsync(Deadline.After(Options.RequestTimeout), null, ct);
    }

    /// <summary>Breaks the session for what the helper did in this job's request; the error to throw.</summary>
    public async Task<HelperProtocolException> FailAsync(string? what) => _session.Error(await _session.FailAsync(this, what), During, this);

    public Task<string> StderrTailAsync() => _session.StderrTailAsync();

    public Task CloseAsync() => _session.CloseAsync(this);

    private async Task<ProtocolLine> ExchangeAsync(string request, string during, IReadOnlyCollection<string> replies, Deadline deadline, TransferWatch? watch, CancellationToken ct)
    {
        During = during;
        if (!_session.Healthy) throw await BrokenAsync();
        await WriteAsync(request, ct);
        while (true)
        {
            var line = await ReadAsync(deadline, watch, ct);
            if (replies.Contains(line.Command)) return line;
            switch (line.Command)
            {
                case "PROGRESS" when watch is not null:
                    if (!long.TryParse(line.Rest, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)) throw await FailAsync($"sent a bad PROGRESS '{ProtocolLine.Printable(line.Rest)}'");
                    if (watch.Reported(bytes)) deadline.Moved();
                    continue;
                case "ERROR":
                    throw await FailAsync($"reported an error: {ProtocolLine.Printable(line.Rest)}");
                case "VERSION" or "PROGRESS":
                    throw await FailAsync($"sent '{ProtocolLine.Printable(line.ToString())}' out of place");
            }
            if (!HelperRequests.Messages.Contains(line.Command))
                throw await FailAsync($"sent '{ProtocolLine.Printable(line.ToString())}', which is no reply to {ProtocolLine.Printable(during)}");
            IReadOnlyList<string> answers;
            try { answers = await _session.Requests.AnswerAsync(line, during, ct); }
            catch (HelperProtocolException e)
            {
                _session.Stop(this, $"sent a message that cannot be answered ({e.Message})");
                throw;
            }
            foreach (var answer in answers) await WriteAsync(answer, ct);
        }
    }

    /// <summary>The next line for this job. Waits by ticks so a transfer can be watched and the deadline kept.</summary>
    private async Task<ProtocolLine> ReadAsync(Deadline deadline, TransferWatch? watch, CancellationToken ct)
    {
        while (true)
        {
            if (Inbox.Reader.TryRead(out var text)) return ProtocolLine.Parse(text);
            _waiting ??= Inbox.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
            Task finished;
            try { finished = await Task.WhenAny(_waiting, Task.Delay(Tick, CancellationToken.None)).WaitAsync(ct); }
            catch (OperationCanceledException)
            {
                Cancelled();
                throw;
            }
            if (finished == _waiting)
            {
                var more = await _waiting;
                _waiting = null;
                if (!more) throw await BrokenAsync(); // the session broke (the helper exited, or did wrong in another job)
                continue;
            }
            if (watch?.Watch() == true) deadline.Moved();
            if (deadline.Passed)
                throw await FailAsync($"gave no answer to {ProtocolLine.Printable(During)} within {deadline.Describe()}; stopped");
        }
    }

    private async Task WriteAsync(string line, CancellationToken ct)
    {
        if (line.Contains('\n') || line.Contains('\r')) throw new ExternalRemoteException($"{Options.Describe}: {During}: a line to send holds a line break; refused");
        try { await _session.SendAsync(Number is { } number ? JobTag.Wrap(number, line) : line, ct); }
        catch (OperationCanceledException)
        {
            Cancelled();
            throw;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // It exited: its exit status and stderr say why.
            throw _session.Error(await _session.FailAsync(null, null), During, this);
        }
    }

    /// <summary>A request given up half-way leaves the helper out of step (and the protocol cannot cancel one job): it is stopped.</summary>
    private void Cancelled() =>
        _session.Stop(this, Number is null ? "was stopped: the request was cancelled" : "was stopped because that request was cancelled (the protocol cannot stop one job)");

    private async Task<HelperProtocolException> BrokenAsync() => _session.Error(await _session.FailureAsync(), During, this);

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
