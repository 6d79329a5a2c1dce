namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// What a fetch from a content remote's bundles left: the remote's refs are at refs/remotes/NAME/...; a tip one bundle set
/// and a later bundle replaced with a commit that does not contain it (two nodes pushed at once) is kept at
/// <see cref="ExtraTips"/> (refs/remotes/NAME/tether-tips/&lt;sha&gt;/&lt;ref&gt;) until it is merged, so no push is lost.
/// </summary>
/// <param name="HasRepository">False when the remote holds no manifest yet.</param>
/// <param name="ExtraTips">Full ref names, each with the remote ref it was a value of (e.g. synced/main).</param>
public sealed record BundleFetchResult(bool HasRepository, int BundlesFetched, IReadOnlyList<(string RefName, string RemoteRef)> ExtraTips);
