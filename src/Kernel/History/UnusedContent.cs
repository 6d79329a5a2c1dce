using LibGit2Sharp;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.History;

/// <summary>
/// As `git annex unused`: the keys in our object store that no branch tip (ours, synced/, the remotes'; not git-annex)
/// nor the index refers to. Each is dated by the newest commit that replaced or deleted it (one `git log --raw` walk,
/// stopped once every key is dated); content that never was in our history is dated by its arrival here.
/// </summary>
public sealed class UnusedContent(AnnexRepository repo)
{
    /// <summary>The unused keys without their dates (cheap: what `tether status` shows).</summary>
    public IReadOnlyList<Key> Keys()
    {
        using var git = repo.OpenGit();
        var used = UsedKeys(git);
        return new ObjectStore(repo).EnumerateKeys().Where(k => !used.Contains(k)).ToList();
    }

    public async Task<IReadOnlyList<UnusedKey>> FindAsync(CancellationToken ct)
    {
        var unused = Keys().ToHashSet();
        if (unused.Count == 0) return [];
        var dated = new Dictionary<Key, (string Path, DateTimeOffset At)>();
        var changes = await new GitLog(repo).ReadAsync(["--no-renames", "--diff-filter=MDT"], [], ct);
        using (var git = repo.OpenGit())
        {
            var seenBlobs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                if (dated.Count == unused.Count) break;
                if (!seenBlobs.Add(change.OldBlob) || !MayBeAnnexed(git, change.OldBlob, change.OldMode)) continue;
                if (FileHistory.Inspect(git, change.OldBlob, change.OldMode).Key is { } key && unused.Contains(key) && !dated.ContainsKey(key))
                    dated[key] = (change.Path, change.At);
            }
        }
        var store = new ObjectStore(repo);
        return unused.Select(key =>
        {
            var content = store.FindContent(key);
            var size = content is null ? key.Size ?? 0 : new FileInfo(content).Length;
            return dated.TryGetValue(key, out var when)
                ? new UnusedKey(key, when.Path, when.At, size)
                : new UnusedKey(key, null, content is null ? DateTimeOffset.UnixEpoch : new DateTimeOffset(File.GetLastWriteTimeUtc(content)), size);
        }).OrderBy(u => u.UnusedSince).ToList();
    }

    /// <summary>The bytes the unused keys take here.</summary>
    public long Bytes(IEnumerable<Key> keys)
    {
        var store = new ObjectStore(repo);
        return keys.Sum(k => store.FindContent(k) is { } path ? new FileInfo(path).Length : 0);
    }

    private static bool MayBeAnnexed(Repository git, string blobId, string mode)
    {
        if (mode == "120000") return true;
        if (mode is not ("100644" or "100755")) return false;
        return git.ObjectDatabase.RetrieveObjectMetadata(new ObjectId(blobId)).Size <= AnnexLink.MaxPointerSize;
    }

    private static HashSet<Key> UsedKeys(Repository git)
    {
        var used = new HashSet<Key>();
        var trees = git.Refs
            .Where(r => (r.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal) || r.CanonicalName.StartsWith("refs/remotes/", StringComparison.Ordinal))
                        && !r.CanonicalName.EndsWith("/" + GitAnnexBranch.BranchName, StringComparison.Ordinal))
            .Select(r => r.ResolveToDirectReference()?.Target as Commit).OfType<Commit>()
            .Select(c => c.Tree).DistinctBy(t => t.Id).ToList();
        if (git.Head.Tip is { } head) trees.Add(head.Tree);
        foreach (var tree in trees.DistinctBy(t => t.Id))
            foreach (var entry in AnnexedFiles.InTree(tree)) used.Add(entry.Key);
        foreach (var entry in git.Index)
            if (MayBeAnnexed(git, entry.Id.Sha, Convert.ToString((int)entry.Mode, 8)) && git.Lookup<Blob>(entry.Id) is { } blob
                && AnnexedFiles.TryKeyOf(entry.Mode, blob, out var key))
                used.Add(key);
        return used;
    }
}
