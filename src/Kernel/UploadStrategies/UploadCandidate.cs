using Tether.Kernel.Remotes;

namespace Tether.Kernel.UploadStrategies;

/// <summary>
/// A configured remote that could be sent a key: its name, UUID if known, cost, whether it is reachable now,
/// and whether it wants this file's content (remotes[].wants).
/// </summary>
public sealed record UploadCandidate(string Name, string? Uuid, int Cost, bool Reachable, bool Wants = true)
{
    public static UploadCandidate Of(Remote remote, string? uuid, bool reachable, string path) =>
        new(remote.Name, uuid, remote.Cost, reachable, remote.Wants.Wants(path));
}
