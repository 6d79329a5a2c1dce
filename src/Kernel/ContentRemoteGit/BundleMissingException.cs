using Tether.Sdk.Keys;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>A manifest lists a bundle the remote does not have.</summary>
public sealed class BundleMissingException(Key key, string message) : IOException(message)
{
    public Key Key { get; } = key;
}
