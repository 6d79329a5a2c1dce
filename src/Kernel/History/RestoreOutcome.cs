namespace Tether.Kernel.History;

/// <summary>What a restore did: the path written, where an unsaved edit found there was kept, and a line for the user.</summary>
public sealed record RestoreOutcome(string Path, string? SavedAs, string Message, bool Changed);
