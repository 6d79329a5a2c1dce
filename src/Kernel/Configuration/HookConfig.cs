namespace Tether.Kernel.Configuration;

/// <summary>A command run when one of <see cref="Events"/> happens.</summary>
public sealed class HookConfig
{
    public string? Name { get; init; }

    /// <summary>Names from <see cref="HookEvents.All"/>.</summary>
    public required IReadOnlyList<string> Events { get; init; }

    /// <summary>The program and its arguments; with <see cref="Shell"/>, the text given to the shell.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public bool Shell { get; init; }

    public HookFilter? Filter { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The 1-based line where this hook's entry starts in the config file; 0 if not from a file.</summary>
    public int Line { get; init; }
}
