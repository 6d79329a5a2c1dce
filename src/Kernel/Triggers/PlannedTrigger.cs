using Tether.Kernel.Configuration;
using Tether.Sdk.Triggers;

namespace Tether.Kernel.Triggers;

/// <summary>A trigger the daemon will run: its config entry (or an implicit one), the factory that makes it, and where it was configured.</summary>
public sealed record PlannedTrigger(TriggerConfig Config, ISyncTriggerFactory Factory, string Source)
{
    public string Name => Config.Remote is { } remote ? $"{Config.Type}:{remote}" : Config.Type;
}
