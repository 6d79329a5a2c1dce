using Tether.Sdk.Keys;

namespace Tether.Kernel.UploadStrategies;

/// <summary>The transfer strategy: which remotes a key we have is uploaded to.</summary>
public interface IUploadTargets : IDisposable
{
    /// <summary>The names of the remotes to upload <paramref name="key"/> (the content of <paramref name="path"/>) to, cheapest first.</summary>
    IReadOnlyList<string> Choose(Key key, string path, IReadOnlyList<UploadCandidate> remotes);
}
