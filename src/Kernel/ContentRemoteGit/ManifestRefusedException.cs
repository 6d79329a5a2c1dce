namespace Tether.Kernel.ContentRemoteGit;

/// <summary>A manifest the remote holds that is not one (too large, a line that is no bundle key of this remote).</summary>
public sealed class ManifestRefusedException(string message) : IOException(message);
