namespace Tether.Kernel.Hooks;

/// <summary>A file in a drop-in folder; <see cref="SkipReason"/> is null when it runs.</summary>
public sealed record DropInEntry(string Path, string? SkipReason);
