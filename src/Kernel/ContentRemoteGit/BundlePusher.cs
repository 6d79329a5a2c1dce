using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Git;
using Tether.Kernel.Repositories;
using Tether.Platform.Hashing;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// Pushes to a content remote's bundles (git-remote-annex's push). Incremental: a bundle of the refs that changed,
/// without what the remote already has (its refs as last fetched are the prerequisites), is stored, then the manifest is
/// read again just before it is rewritten with that bundle appended, so a bundle another node added meanwhile is kept;
/// read back after, and written again if a concurrent writer lost our line. Full (once the manifest lists
/// <see cref="MaxBundles"/>): one bundle of every ref the remote has replaces the bundles it was made from, which are
/// deleted only after the new manifest is stored (then forgotten from its obsolete list).
/// A push the remote is not up to date for (bundles we have not fetched, or a ref we would not fast-forward) is refused
/// with <see cref="PushRejectedException"/>: fetch, merge, push again.
/// </summary>
public sealed class BundlePusher(AnnexRepository repo, IContentBackend backend, string remoteName, string remoteUuid, ILogger log)
{
    /// <summary>A push that would make the manifest list more bundles than this is a full push instead (git-annex's annex-max-git-bundles).</summary>
    public int MaxBundles { get; init; } = ContentRemoteGitSync.DefaultMaxBundles;

    /// <summary>For tests: runs after the new manifest is stored in a full push, before the old bundles are deleted.</summary>
    internal Func<Task>? BeforeDeletingOld { get; init; }

    private const int WriteAttempts = 4;
    private readonly BundleState _state = new(repo, remoteUuid);
    private ManifestStore Store => new(backend, remoteUuid, remoteName, _state.Scratch);

    /// <summary>Pushes <paramref name="refs"/> (remote ref such as synced/main → commit id). Returns the bundle stored, or null when nothing changed.</summary>
    public async Task<Key?> PushAsync(IReadOnlyDictionary<string, string> refs, CancellationToken ct)
    {
        var seen = await Store.ReadAsync(ct) ?? GitManifest.Empty;
        var fetched = _state.Fetched();
        if (seen.Bundles.FirstOrDefault(k => !fetched.Contains(k)) is { } unfetched)
            throw new PushRejectedException(remoteName, [.. refs.Keys], $"the remote has bundles not fetched yet ({unfetched})");
        Dictionary<string, ObjectId> remote;
        List<ObjectId> tips;
        var changed = new Dictionary<string, ObjectId>(StringComparer.Ordinal);
        using (var git = repo.OpenGit())
        {
            remote = RemoteBundleRefs.Current(git, remoteName);
            tips = RemoteBundleRefs.Tips(git, remoteName).Select(t => t.Target).ToList();
            var behind = new List<string>();
            foreach (var (name, sha) in refs)
            {
                var ours = new ObjectId(sha);
                if (remote.TryGetValue(name, out var theirs) && theirs == ours) continue;
                if (theirs is not null && !RemoteBundleRefs.Contains(git, ours, theirs)) behind.Add(name);
                changed[name] = ours;
            }
            if (behind.Count > 0) throw new PushRejectedException(remoteName, behind, "non-fast-forward");
        }
        if (changed.Count == 0)
        {
            await RepairLostLinesAsync(seen, ct); // nothing new, but a line of ours a concurrent writer lost is listed again now
            return null;
        }

        var full = seen.Bundles.Count + 1 > MaxBundles && tips.Count == 0;
        var include = full ? remote.Concat(changed).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal) : changed;
        var prerequisites = full ? [] : Prerequisites(remote.Values.Concat(tips), include.Values);
        var (file, key) = await CreateBundleAsync(include, prerequisites, ct);
        try
        {
            await backend.StoreAsync(key, file, new Progress<long>(), ct);
        }
        finally { File.Delete(file); }
        _state.AddPushed(key);
        _state.AddFetched([key]);
        log.LogDebug("{Remote}: uploaded {Key}; listing it in the manifest", remoteName, key);

        var written = await WriteManifestAsync(current => full ? current.Compacted(key, seen.Bundles) : current.Appending(key), key, ct);
        using (var git = repo.OpenGit())
            foreach (var (name, id) in include)
                git.Refs.Add(RemoteBundleRefs.Prefix(remoteName) + name, id, $"tether: push {key}", allowOverwrite: true);
        log.LogDebug("{Remote}: stored {Key} ({Kind}, {Count} ref(s))", remoteName, key, full ? "full" : "incremental", include.Count);
        if (full) await DeleteObsoleteAsync(written, ct);
        return key;
    }

    /// <summary>
    /// The remote's tips a bundle can leave out, skipping any that contains one of the refs included: git bundle would
    /// leave such a ref out of the bundle altogether.
    /// </summary>
    private List<string> Prerequisites(IEnumerable<ObjectId> remoteTips, IEnumerable<ObjectId> included)
    {
        using var git = repo.OpenGit();
        var includedList = included.ToList();
        return remoteTips.Distinct().Where(t => git.Lookup<Commit>(t) is not null && !includedList.Any(i => RemoteBundleRefs.Contains(git, t, i)))
            .Select(t => t.Sha).ToList();
    }

    private async Task<(string File, Key Key)> CreateBundleAsync(IReadOnlyDictionary<string, ObjectId> include, List<string> prerequisites, CancellationToken ct)
    {
        var tracking = GitRemoteAnnexKeys.TrackingRefPrefix(remoteUuid);
        using (var git = repo.OpenGit())
        {
            // The bundle's refs carry git-remote-annex's names for the remote's refs; git bundle takes them from local refs.
            foreach (var (name, id) in include) git.Refs.Add($"{tracking}refs/heads/{name}", id, "tether: bundle", allowOverwrite: true);
        }
        var refNames = include.Keys.Select(n => $"{tracking}refs/heads/{n}").ToList();
        Directory.CreateDirectory(_state.Scratch);
        var file = Path.Combine(_state.Scratch, $"push-{Guid.NewGuid():N}.bundle");
        await BundleGit.CreateAsync(repo.GitDir, file, refNames, prerequisites, ct);
        var listed = (await BundleGit.ListHeadsAsync(repo.GitDir, file, "the bundle just made", ct)).Select(h => h.Ref).ToHashSet(StringComparer.Ordinal);
        if (prerequisites.Count > 0 && refNames.Any(r => !listed.Contains(r)))
        {
            File.Delete(file); // a prerequisite hid a ref after all: without them
            await BundleGit.CreateAsync(repo.GitDir, file, refNames, [], ct);
        }
        string hex;
        long size;
        await using (var stream = File.OpenRead(file)) (hex, size) = await KeyHasher.HashStreamAsync(stream, "SHA256", ct);
        return (file, GitRemoteAnnexKeys.Bundle(remoteUuid, hex, size));
    }

    /// <summary>Reads the manifest, applies the change, writes it, and reads it back until our bundle is listed.</summary>
    private async Task<GitManifest> WriteManifestAsync(Func<GitManifest, GitManifest> change, Key ours, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await Store.ReadAsync(ct) ?? GitManifest.Empty;
            var next = await WithLostLinesAsync(change(current), ct);
            await Store.WriteAsync(next, ct);
            var back = await Store.ReadAsync(ct) ?? GitManifest.Empty;
            if (back.Bundles.Contains(ours)) return back;
            if (attempt >= WriteAttempts) throw new IOException($"remote '{remoteName}': another node kept rewriting the manifest; {ours} is stored but not listed yet (the next push lists it)");
            log.LogInformation("{Remote}: a concurrent push replaced the manifest; merging and writing it again", remoteName);
        }
    }

    /// <summary>
    /// Lists again the bundles of ours that <paramref name="seen"/> (just read) lost to a concurrent writer; no I/O when none is lost.
    /// Called on every fetch too, so a lost line comes back within a pull interval, not at our next change.
    /// </summary>
    public async Task RepairLostLinesAsync(GitManifest seen, CancellationToken ct)
    {
        var repaired = await WithLostLinesAsync(seen, ct);
        if (repaired.Bundles.Count == seen.Bundles.Count) return;
        log.LogInformation("{Remote}: a concurrent push lost the manifest line of {Key}; listing it again", remoteName, repaired.Bundles[^1]);
        await WriteManifestAsync(current => current, repaired.Bundles[^1], ct);
    }

    /// <summary>
    /// Bundles this repository pushed that are on the remote but in neither list of the manifest (a concurrent writer's
    /// manifest replaced ours) are listed again; those no longer on the remote are forgotten.
    /// </summary>
    private async Task<GitManifest> WithLostLinesAsync(GitManifest manifest, CancellationToken ct)
    {
        var result = manifest;
        var gone = new List<Key>();
        foreach (var key in _state.Pushed().Where(k => !manifest.Bundles.Contains(k) && !manifest.Obsolete.Contains(k)))
        {
            var present = await Presence.OfAsync(backend, key, ct);
            if (present == true) result = result.Appending(key);
            else if (present == false) gone.Add(key); // cannot tell: left alone (listing a bundle that is gone would break every fetch)
        }
        if (gone.Count > 0) _state.ForgetPushed(gone);
        return result;
    }

    private async Task DeleteObsoleteAsync(GitManifest written, CancellationToken ct)
    {
        if (BeforeDeletingOld is not null) await BeforeDeletingOld();
        var deleted = new List<Key>();
        foreach (var key in written.Obsolete)
        {
            try { await backend.RemoveAsync(key, ct); deleted.Add(key); }
            catch (IOException e) { log.LogWarning("{Remote}: could not delete the old bundle {Key} ({Error}); tried again after the next full push", remoteName, key, e.Message); }
        }
        if (deleted.Count == 0) return;
        _state.ForgetPushed(deleted);
        var current = await Store.ReadAsync(ct) ?? GitManifest.Empty;
        await Store.WriteAsync(current.Forgetting(deleted), ct);
    }
}
