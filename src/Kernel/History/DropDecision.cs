namespace Tether.Kernel.History;

/// <summary>What `tether drop --unused` did with one unused key, and why.</summary>
public sealed record DropDecision(UnusedKey Unused, bool Dropped, string Message);
