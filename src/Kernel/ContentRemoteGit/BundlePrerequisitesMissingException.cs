namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// A bundle needs commits this repository does not have yet: they are in a bundle read later, or in one another node
/// lists again after a concurrent push dropped it from the manifest.
/// </summary>
public sealed class BundlePrerequisitesMissingException(string message) : IOException(message);
