using System.Threading.Channels;

namespace Tether.Kernel.Events;

/// <summary>
/// Fans events out to subscribers (hook runner, status, tests). Publishing never blocks the sync loop:
/// each subscriber has a bounded queue that drops its oldest events when the subscriber falls behind.
/// </summary>
public sealed class EventBus
{
    private readonly List<Channel<SyncEvent>> _subscribers = [];
    private readonly Lock _lock = new();

    public ChannelReader<SyncEvent> Subscribe(int capacity = 10_000)
    {
        var channel = Channel.CreateBounded<SyncEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock) _subscribers.Add(channel);
        return channel.Reader;
    }

    public void Publish(SyncEvent e)
    {
        lock (_lock)
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(e);
    }

    public void Complete()
    {
        lock (_lock)
            foreach (var subscriber in _subscribers) subscriber.Writer.TryComplete();
    }
}
