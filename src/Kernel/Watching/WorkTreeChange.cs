using Tether.Kernel.Threads;
namespace Tether.Kernel.Watching;

/// <summary>
/// One change in a work tree, as reported by <see cref="WorkTreeWatcher"/>.
/// <paramref name="RelativePath"/> is relative to the work-tree root with '/' separators; empty for <see cref="WorkTreeChangeKind.RescanAll"/>.
/// </summary>
public sealed record WorkTreeChange(WorkTreeChangeKind Kind, string RelativePath)
{
    /// <summary>The whole-tree rescan request.</summary>
    public static WorkTreeChange RescanAll { get; } = new(WorkTreeChangeKind.RescanAll, "");
}
