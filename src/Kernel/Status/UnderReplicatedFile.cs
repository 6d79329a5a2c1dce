namespace Tether.Kernel.Status;

/// <summary>An annexed file with fewer copies than numcopies wants.</summary>
public sealed record UnderReplicatedFile(string File, int Copies, int Wanted);
