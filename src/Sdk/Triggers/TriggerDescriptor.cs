namespace Tether.Sdk.Triggers;

/// <summary>What a trigger is told: its config entry and the remotes it may act on. Since contracts 1.2.</summary>
/// <param name="Type">The trigger type (the factory's).</param>
/// <param name="Remote">The entry's <c>remote:</c>, or null for all remotes.</param>
/// <param name="Every">The entry's <c>every:</c>, if given.</param>
/// <param name="Options">The entry's <c>options:</c> (empty when none).</param>
/// <param name="Remotes">The configured remotes (only the named one when <paramref name="Remote"/> is set).</param>
/// <param name="RepositoryPath">The repository's work tree (or git folder when bare).</param>
public sealed record TriggerDescriptor(
    string Type,
    string? Remote,
    TimeSpan? Every,
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyList<TriggerRemote> Remotes,
    string RepositoryPath)
{
    /// <summary>Where the entry is, for messages, e.g. ".tether/config.yml:12".</summary>
    public string Source { get; init; } = "the config";
}
