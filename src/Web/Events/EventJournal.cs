using System.Security.Cryptography;
using System.Threading.Channels;
using Tether.Kernel.Coordination;
using Tether.Kernel.Events;
using Tether.Kernel.Hooks;

namespace Tether.Web.Events;

/// <summary>
/// The daemon's events, numbered, in a bounded buffer (the newest <see cref="Capacity"/>), for the event stream: a
/// client that reconnects with the last id it saw gets everything after it, or is told exactly what fell out of the
/// buffer (as Syncthing's /rest/events does). The JSON of each event is the hooks' (<see cref="HookEventPayload"/>).
/// </summary>
public sealed class EventJournal
{
    public const int DefaultCapacity = 1000;

    private readonly ChannelReader<SyncEvent> _source;
    private readonly string _workTree;
    private readonly LinkedList<JournalEntry> _entries = new();
    private readonly List<Doorbell> _listeners = [];
    private readonly Lock _lock = new();
    private long _last;

    public EventJournal(EventBus bus, string workTree, int capacity = DefaultCapacity)
    {
        _source = bus.Subscribe();
        _workTree = workTree;
        Capacity = Math.Max(1, capacity);
    }

    public int Capacity { get; }

    /// <summary>This daemon run's part of every id.</summary>
    public string Run { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var e in _source.ReadAllAsync(ct)) Append(e);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    public void Append(SyncEvent e)
    {
        var payload = HookEventPayload.From(e, _workTree);
        lock (_lock)
        {
            _entries.AddLast(new JournalEntry(new EventId(Run, ++_last), e.Name, payload.ToJson()));
            while (_entries.Count > Capacity) _entries.RemoveFirst();
            foreach (var listener in _listeners) listener.Ring();
        }
    }

    /// <summary>The events after <paramref name="after"/> (all that are kept when null), and what the client missed.</summary>
    public JournalRead ReadAfter(EventId? after)
    {
        lock (_lock)
        {
            long first = _entries.First?.Value.Id.Number ?? _last + 1;
            long from = after is { } seen && seen.Run == Run && seen.Number <= _last ? seen.Number + 1 : first;
            Gap? gap = after switch
            {
                null => null,
                { } a when a.Run != Run => new Gap("restart", null, null),
                { } a when a.Number > _last => new Gap("restart", null, null),
                { } a when a.Number + 1 < first => new Gap("overflow", a.Number + 1, first - 1),
                _ => null,
            };
            return new JournalRead(_entries.Where(x => x.Id.Number >= from).ToList(), gap);
        }
    }

    /// <summary>A doorbell rung on every new event, until disposed: one per stream client.</summary>
    public Subscription Listen()
    {
        var bell = new Doorbell();
        lock (_lock) _listeners.Add(bell);
        return new Subscription(bell, () => { lock (_lock) _listeners.Remove(bell); });
    }

    public sealed class Subscription(Doorbell bell, Action remove) : IDisposable
    {
        public Doorbell Bell { get; } = bell;
        public void Dispose() => remove();
    }
}

/// <summary>What a reader gets: the entries, and the gap before them if it missed some.</summary>
public sealed record JournalRead(IReadOnlyList<JournalEntry> Entries, Gap? Gap);

/// <summary>
/// Events a client missed. <c>overflow</c>: numbers From to To fell out of the buffer; <c>restart</c>: the daemon was
/// restarted since the client's last id (what happened in between is unknown; the buffer's oldest kept events follow).
/// </summary>
public sealed record Gap(string Reason, long? From, long? To);
