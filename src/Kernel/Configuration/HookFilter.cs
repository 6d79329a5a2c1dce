using Tether.Kernel.Wants;
namespace Tether.Kernel.Configuration;

/// <summary>Limits a hook to events about one remote and/or paths matching a glob.</summary>
public sealed class HookFilter
{
    public string? Remote { get; init; }

    /// <summary>A <see cref="GlobPattern"/> matched against the repository-relative path.</summary>
    public string? Path { get; init; }
}
