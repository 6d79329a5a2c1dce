using Tether.Kernel.Git;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Repositories;
using Tether.Platform.Hashing;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// Fetches what other nodes stored on a content remote (git-remote-annex's fetch): reads the manifest, downloads each
/// bundle not fetched before, in order, and reads it into this repository. Everything from the remote is hostile: a
/// bundle's size is bounded (by its key, before it is downloaded, and after), its sha256 must be the one its key names,
/// git checks its prerequisites and objects, and the refs it names are only ever written under refs/remotes/NAME/
/// (only the remote's refs/heads/..., by names git accepts); a bundle that fails any of this fails the fetch, naming its
/// key, before any ref is changed.
/// </summary>
public sealed class BundleFetcher(AnnexRepository repo, IContentBackend backend, string remoteName, string remoteUuid, ILogger log)
{
    /// <summary>The largest bundle fetched (bytes).</summary>
    public long MaxBundleBytes { get; init; } = ContentRemoteGitSync.DefaultMaxBundleBytes;

    private readonly BundleState _state = new(repo, remoteUuid);

    private ManifestStore Store => new(backend, remoteUuid, remoteName, _state.Scratch);

    public async Task<(BundleFetchResult Result, GitManifest Seen)> FetchAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var manifest = await Store.ReadAsync(ct);
            if (manifest is null)
            {
                ForgetMergedTips();
                return (new BundleFetchResult(false, 0, Tips()), GitManifest.Empty);
            }
            var fetched = _state.Fetched();
            var fresh = manifest.Bundles.Where(k => !fetched.Contains(k)).ToList();
            var heads = new List<(Key Bundle, string RemoteRef, string Sha)>();
            try
            {
                fresh = await ReadInPrerequisiteOrderAsync(fresh, heads, ct);
            }
            catch (BundleMissingException missing) when (attempt == 1)
            {
                // A full push elsewhere may have replaced the manifest and deleted the bundle since we read it.
                log.LogDebug("{Remote}: {Key} is gone; reading the manifest again", remoteName, missing.Key);
                continue;
            }
            ApplyRefs(heads);
            _state.AddFetched(fresh);
            _state.KeepFetched(manifest);
            ForgetMergedTips();
            if (fresh.Count > 0) log.LogDebug("{Remote}: fetched {Count} bundle(s)", remoteName, fresh.Count);
            return (new BundleFetchResult(true, fresh.Count, Tips()), manifest);
        }
    }

    /// <summary>
    /// Reads the bundles, each one that needs commits of another read after the others; returns those read. One whose
    /// commits no listed bundle holds (a concurrent push dropped their bundle from the manifest; its node lists it again)
    /// is left for the next fetch rather than failing this one.
    /// </summary>
    private async Task<List<Key>> ReadInPrerequisiteOrderAsync(List<Key> bundles, List<(Key, string, string)> heads, CancellationToken ct)
    {
        var read = new List<Key>();
        var pending = new List<Key>(bundles);
        for (var progress = true; progress && pending.Count > 0;)
        {
            progress = false;
            foreach (var key in pending.ToList())
            {
                try { heads.AddRange(await ReadBundleAsync(key, ct)); }
                catch (BundlePrerequisitesMissingException) { continue; }
                read.Add(key);
                pending.Remove(key);
                progress = true;
            }
        }
        if (pending.Count > 0)
            log.LogInformation("{Remote}: {Count} bundle(s) need commits no bundle listed yet holds; they are read at the next fetch", remoteName, pending.Count);
        return read;
    }

    private async Task<List<(Key, string, string)>> ReadBundleAsync(Key key, CancellationToken ct)
    {
        var what = $"bundle {key} from remote '{remoteName}'";
        if (key.Size is not { } size) throw new IOException($"{what} has no size in its key; refused");
        if (size > MaxBundleBytes)
            throw new IOException($"{what} is {size} bytes, more than the {MaxBundleBytes} bytes a bundle may be; refused, nothing fetched");
        if (await Presence.OfAsync(backend, key, ct) == false) throw new BundleMissingException(key, $"the manifest of remote '{remoteName}' lists {key}, but the remote does not have it");
        Directory.CreateDirectory(_state.Scratch);
        var file = Path.Combine(_state.Scratch, $"bundle-{Guid.NewGuid():N}");
        try
        {
            try { await backend.RetrieveAsync(key, file, new Progress<long>(), ct); }
            catch (FileNotFoundException) { throw new BundleMissingException(key, $"the manifest of remote '{remoteName}' lists {key}, but the remote does not have it"); }
            var length = File.Exists(file) ? new FileInfo(file).Length : -1;
            if (length != size) throw new IOException($"{what} arrived as {length} bytes, not the {size} its key says; refused, nothing fetched");
            string hex;
            await using (var stream = File.OpenRead(file)) (hex, _) = await KeyHasher.HashStreamAsync(stream, "SHA256", ct);
            if (hex != GitRemoteAnnexKeys.BundleHash(key))
                throw new IOException($"{what} is corrupt: its sha256 is {hex}, not the one its key names; refused, nothing fetched");
            var heads = await BundleGit.ListHeadsAsync(repo.GitDir, file, what, ct);
            var accepted = new List<(Key, string, string)>();
            foreach (var (sha, name) in heads)
                if (RemoteRefOf(name, what) is { } remoteRef) accepted.Add((key, remoteRef, sha));
            await BundleGit.UnbundleAsync(repo.GitDir, file, accepted.Select(a => a.Item3).ToList(), what, ct);
            return accepted;
        }
        finally { File.Delete(file); }
    }

    /// <summary>
    /// The remote ref a bundle's ref stands for (refs/heads/X, plain or in git-remote-annex's tracking namespace of this
    /// remote, gives X), or null for one we do not take (tags, HEAD); a name that could leave refs/remotes/NAME/ is refused.
    /// </summary>
    private string? RemoteRefOf(string name, string what)
    {
        var tracking = GitRemoteAnnexKeys.TrackingRefPrefix(remoteUuid);
        var plain = name.StartsWith(tracking, StringComparison.Ordinal) ? name[tracking.Length..] : name;
        if (plain == "HEAD" || plain.StartsWith("refs/tags/", StringComparison.Ordinal)) return null;
        const string heads = "refs/heads/";
        if (!plain.StartsWith(heads, StringComparison.Ordinal))
            throw new IOException($"{what} names ref '{BundleGit.Printable(name)}', which is not a branch; refused, nothing fetched");
        var branch = plain[heads.Length..];
        var target = RemoteBundleRefs.Prefix(remoteName) + branch;
        if (branch.Length == 0 || branch == "HEAD" || branch.StartsWith(RemoteBundleRefs.TipsFolder + "/", StringComparison.Ordinal) || branch.Contains("..")
            || branch.Split('/').Any(c => c.Length == 0 || c.StartsWith('.')) || !Reference.IsValidName(target))
            throw new IOException($"{what} names ref '{BundleGit.Printable(name)}', which is not a valid branch name; refused, nothing fetched");
        return branch;
    }

    /// <summary>Writes the remote's refs in manifest order; a value replaced by one that does not contain it is kept as a tip.</summary>
    private void ApplyRefs(List<(Key Bundle, string RemoteRef, string Sha)> heads)
    {
        if (heads.Count == 0) return;
        using var git = repo.OpenGit();
        var prefix = RemoteBundleRefs.Prefix(remoteName);
        foreach (var (bundle, remoteRef, sha) in heads)
        {
            var name = prefix + remoteRef;
            var target = new ObjectId(sha);
            if (git.Refs[name]?.ResolveToDirectReference()?.TargetIdentifier is { } previous && previous != sha
                && !RemoteBundleRefs.Contains(git, target, new ObjectId(previous)))
            {
                git.Refs.Add($"{RemoteBundleRefs.TipsPrefix(remoteName)}{previous}/{remoteRef}", new ObjectId(previous), allowOverwrite: true);
                log.LogInformation("{Remote}: {Bundle} replaced {Ref} {Old} with {New}, which lacks it (two pushes at once); both are merged",
                    remoteName, bundle, remoteRef, previous[..8], sha[..8]);
            }
            git.Refs.Add(name, target, $"tether: fetch {bundle}", allowOverwrite: true);
        }
    }

    /// <summary>Tips kept aside that a local branch now contains are merged: their refs are removed.</summary>
    private void ForgetMergedTips()
    {
        using var git = repo.OpenGit();
        var locals = git.Refs.Present().Where(r => r.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal))
            .Select(r => r.ResolveToDirectReference()?.TargetIdentifier).OfType<string>().Select(t => new ObjectId(t)).ToList();
        foreach (var (refName, _, target) in RemoteBundleRefs.Tips(git, remoteName))
            if (locals.Any(l => RemoteBundleRefs.Contains(git, l, target))) git.Refs.Remove(refName);
    }

    private IReadOnlyList<(string, string)> Tips()
    {
        using var git = repo.OpenGit();
        return RemoteBundleRefs.Tips(git, remoteName).Select(t => (t.RefName, t.RemoteRef)).ToList();
    }
}
