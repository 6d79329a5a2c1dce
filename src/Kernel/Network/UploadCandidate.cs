namespace Tether.Kernel.Network;

/// <summary>A configured remote that could be sent a key: its name, UUID if known, cost, and whether it is reachable now.</summary>
public sealed record UploadCandidate(string Name, string? Uuid, int Cost, bool Reachable);
