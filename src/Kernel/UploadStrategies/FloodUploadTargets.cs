using Tether.Sdk.Keys;

namespace Tether.Kernel.UploadStrategies;

/// <summary>Strategy <c>flood</c>: every remote that wants a key gets it.</summary>
public sealed class FloodUploadTargets : IUploadTargets
{
    public IReadOnlyList<string> Choose(Key key, string path, IReadOnlyList<UploadCandidate> remotes) =>
        remotes.Where(r => r.Wants).OrderBy(r => r.Cost).Select(r => r.Name).ToList();

    public void Dispose() { }
}
