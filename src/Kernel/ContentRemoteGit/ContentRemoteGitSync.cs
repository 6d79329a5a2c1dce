using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Git;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// The git level over a content-only remote (<c>git: bundles</c> on the remote): what <see cref="GitRemoteSync"/> calls
/// for a remote without git. The remote's refs/heads/&lt;branch&gt;, synced/&lt;branch&gt; and git-annex are kept there as
/// git-remote-annex keeps them (a manifest of bundles, stored by key through the remote's content backend, so any
/// content-only backend carries them, and a layer around the backend, such as encryption, applies to them too).
/// </summary>
public sealed class ContentRemoteGitSync(AnnexRepository repo, ILogger log)
{
    /// <summary>As git-annex's remote.NAME.annex-max-git-bundles, which is read here too.</summary>
    public const int DefaultMaxBundles = 100;
    public const long DefaultMaxBundleBytes = 4L << 30;

    public int MaxBundles { get; init; } = DefaultMaxBundles;
    public long MaxBundleBytes { get; init; } = DefaultMaxBundleBytes;

    /// <summary>Whether the git level rides on this remote as bundles.</summary>
    public static bool Carries(RemoteEndpoint remote) => !remote.HasGit && remote.Remote.GitBundles;

    public async Task<BundleFetchResult> FetchAsync(RemoteEndpoint remote, CancellationToken ct)
    {
        var (backend, uuid) = Open(remote);
        var (result, seen) = await new BundleFetcher(repo, backend, remote.Name, uuid, log) { MaxBundleBytes = MaxBundleBytes }.FetchAsync(ct);
        if (result.HasRepository) await new BundlePusher(repo, backend, remote.Name, uuid, log).RepairLostLinesAsync(seen, ct);
        else
            log.LogInformation("{Remote}: no git repository stored under its UUID {Uuid} yet (this push starts one); if other nodes already sync " +
                               "through it, this node needs their UUID for it: git config remote.{Remote}.annex-uuid UUID", remote.Name, uuid, remote.Name);
        return result;
    }

    /// <summary>Pushes our branch (to the remote's &lt;branch&gt;, synced/&lt;branch&gt; and synced/&lt;their main line&gt;) and the git-annex branch.</summary>
    public async Task PushAsync(RemoteEndpoint remote, CancellationToken ct)
    {
        var (backend, uuid) = Open(remote);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        var maxBundles = MaxBundles;
        using (var git = repo.OpenGit())
        {
            if (int.TryParse(git.Config.Get<string>($"remote.{remote.Name}.annex-max-git-bundles")?.Value, out var configured) && configured >= 1)
                maxBundles = configured;
            var branch = git.Head.FriendlyName;
            if (git.Head.Tip is { } tip)
            {
                refs[branch] = tip.Sha;
                refs[$"synced/{branch}"] = tip.Sha;
                var theirs = PeerMainLine.For(git, remote.Name, branch);
                if (theirs != branch) refs[$"synced/{theirs}"] = tip.Sha;
            }
            if (git.Refs[GitAnnexBranch.RefName]?.ResolveToDirectReference()?.TargetIdentifier is { } annex) refs["git-annex"] = annex;
        }
        if (refs.Count == 0) return;
        await new BundlePusher(repo, backend, remote.Name, uuid, log) { MaxBundles = maxBundles }.PushAsync(refs, ct);
    }

    private static (Sdk.Backends.IContentBackend Backend, string Uuid) Open(RemoteEndpoint remote)
    {
        if (remote.Content is not { } backend || remote.Uuid is not { } uuid)
            throw new IOException($"remote '{remote.Name}' could not be opened ({string.Join("; ", remote.Errors.DefaultIfEmpty("no UUID or backend"))}), so its git bundles cannot be read or written");
        return (backend, uuid);
    }
}
