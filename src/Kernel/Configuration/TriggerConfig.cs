namespace Tether.Kernel.Configuration;

/// <summary>Something that starts a sync, such as a timer; the type names a trigger implementation.</summary>
public sealed class TriggerConfig
{
    public required string Type { get; init; }

    /// <summary>The remote this trigger applies to; null for all.</summary>
    public string? Remote { get; init; }

    public TimeSpan? Every { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>The 1-based line where this trigger's entry starts in the config file; 0 if not from a file.</summary>
    public int Line { get; init; }
}
