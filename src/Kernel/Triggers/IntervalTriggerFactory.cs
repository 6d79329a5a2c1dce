using Tether.Sdk.Triggers;

namespace Tether.Kernel.Triggers;

/// <summary>
/// The built-in trigger type "interval": <c>- type: interval, remote: nas, every: 15m</c> syncs the remote (every remote
/// when none is named) every so often, for remotes that have no other signal. Built on the same contract as plugin triggers.
/// </summary>
public sealed class IntervalTriggerFactory(TimeProvider clock) : ISyncTriggerFactory
{
    public const string TypeName = "interval";
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    public string Type => TypeName;

    public ISyncTrigger Create(TriggerDescriptor trigger)
    {
        if (trigger.Every is not { } every)
            throw new ArgumentException($"{trigger.Source}: an interval trigger needs 'every:', e.g. every: 15m");
        if (every < Shortest)
            throw new ArgumentException($"{trigger.Source}: every: {every.TotalMilliseconds} ms is too short for an interval trigger (at least 1s)");
        return new IntervalTrigger(trigger.Remote, every, clock);
    }
}
