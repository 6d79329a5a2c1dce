using Microsoft.Extensions.Logging;
using Tether.Kernel.Configuration;
using Tether.Kernel.Remotes;
using Tether.Sdk.Triggers;

namespace Tether.Kernel.Triggers;

/// <summary>
/// Which triggers run: one per <c>triggers:</c> entry whose type a factory provides (the built-in interval, or a
/// plugin's), plus an implicit usb trigger when a remote has a <c>drive:</c> section and no entry names usb. The
/// drive remotes a usb trigger covers are <see cref="Watched"/>: they wait for it to find them. Without the usb
/// plugin a drive remote is an ordinary path remote at its last known url.
/// </summary>
public sealed record TriggerPlan(IReadOnlyList<PlannedTrigger> Triggers, IReadOnlyCollection<string> Watched)
{
    public static TriggerPlan For(IReadOnlyList<TriggerConfig> configured, IReadOnlyList<Remote> remotes, IReadOnlyList<ISyncTriggerFactory> factories, string? configPath, ILogger log)
    {
        var byType = factories.GroupBy(f => f.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var planned = new List<PlannedTrigger>();
        foreach (var trigger in configured)
        {
            var source = $"{configPath ?? "the config"}:{trigger.Line}";
            if (byType.TryGetValue(trigger.Type, out var factory)) planned.Add(new PlannedTrigger(trigger, factory, source));
            else log.LogWarning("{Source}: no loaded plugin provides the trigger type '{Type}' (known: {Known}; see 'tether plugins'); this trigger does not run",
                source, trigger.Type, string.Join(", ", byType.Keys.Order(StringComparer.Ordinal)));
        }
        var drives = remotes.Where(r => r.Drive is not null).Select(r => r.Name).ToList();
        if (drives.Count > 0 && configured.All(t => t.Type != DriveConfig.TriggerType))
        {
            if (byType.TryGetValue(DriveConfig.TriggerType, out var usb))
                planned.Add(new PlannedTrigger(new TriggerConfig { Type = DriveConfig.TriggerType }, usb, $"implicit, for the drive remote(s) {string.Join(", ", drives)}"));
            else log.LogWarning("Remote(s) {Remotes} are on drives, but no loaded plugin provides the '{Type}' trigger (see 'tether plugins'): they are synced at their last known path only",
                string.Join(", ", drives), DriveConfig.TriggerType);
        }
        var watched = planned.Where(p => p.Config.Type == DriveConfig.TriggerType)
            .SelectMany(p => drives.Where(d => p.Config.Remote is null || p.Config.Remote == d))
            .ToHashSet(StringComparer.Ordinal);
        return new TriggerPlan(planned, watched);
    }

    /// <summary>What the trigger is told: its entry and the remotes it covers (only the named one when the entry names one).</summary>
    public static TriggerDescriptor Describe(PlannedTrigger trigger, IReadOnlyList<Remote> remotes, string repositoryPath) =>
        new(trigger.Config.Type, trigger.Config.Remote, trigger.Config.Every, trigger.Config.Options,
            remotes.Where(r => trigger.Config.Remote is null || r.Name == trigger.Config.Remote)
                .Select(r => new TriggerRemote(r.Name, r.Url, r.Backend) { Drive = r.Drive }).ToList(),
            repositoryPath)
        { Source = trigger.Source };
}
