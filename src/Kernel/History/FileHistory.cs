using LibGit2Sharp;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.History;

/// <summary>
/// `tether log`: the versions of a file (renames followed) or of every file in a folder, newest first, each with the
/// node that made it and where its content is now.
/// </summary>
public sealed class FileHistory(AnnexRepository repo, TimeProvider clock)
{
    public async Task<IReadOnlyList<FileVersion>> VersionsAsync(string relativePath, CancellationToken ct)
    {
        var folder = relativePath.Length == 0 || IsFolderNow(relativePath);
        var log = new GitLog(repo);
        var changes = await log.ReadAsync(folder ? [] : ["--follow"], relativePath.Length == 0 ? [] : [relativePath], ct);
        if (!folder && changes.Count > 0 && changes.All(c => c.Path != relativePath && c.OldPath != relativePath))
            return Describe(await log.ReadAsync([], [relativePath], ct)); // a folder that is gone: its files
        return Describe(folder ? changes : await FollowAnnexedMovesAsync(log, changes, ct));
    }

    /// <summary>
    /// Where git's `--follow` stops but the file goes on: (1) a locked file's link moved to another folder (git's rename
    /// detection does not pair it, as the link's text changes with the depth): the oldest version is an annexed file
    /// added in the commit that deleted another path holding the same key; (2) a conflict variant: made by a merge
    /// (whose changes `git log` does not show), from the version at the name on one side of it.
    /// </summary>
    private async Task<IReadOnlyList<LoggedChange>> FollowAnnexedMovesAsync(GitLog log, IReadOnlyList<LoggedChange> changes, CancellationToken ct)
    {
        var result = changes.ToList();
        for (var hop = 0; hop < MaxFollowedMoves && result.Count > 0; hop++)
        {
            var oldest = result[^1];
            var variant = oldest.Status == 'A' && VariantPaths.IsVariant(oldest.Path) ? oldest.Path
                : oldest.Status == 'R' && oldest.OldPath is { } from && VariantPaths.IsVariant(from) ? from : null;
            var older = variant is not null ? await BeforeVariantAsync(log, result, variant, ct)
                : oldest.Status == 'A' ? await BeforeMoveAsync(log, result, ct) : null;
            if (older is null) break;
            result.AddRange(older);
        }
        return result;
    }

    private async Task<IReadOnlyList<LoggedChange>?> BeforeMoveAsync(GitLog log, List<LoggedChange> result, CancellationToken ct)
    {
        var added = result[^1];
        LoggedChange? moved;
        using (var git = repo.OpenGit())
        {
            var key = Inspect(git, added.NewBlob, added.NewMode).Key;
            if (key is null || git.Lookup<Commit>(added.CommitId) is not { } commit || commit.Parents.FirstOrDefault() is not { } parent) return null;
            // In process (libgit2 diffs only the trees that changed): no second git run for the common case of no move.
            moved = git.Diff.Compare<TreeChanges>(parent.Tree, commit.Tree).Deleted
                .Where(d => Inspect(git, d.OldOid.Sha, Convert.ToString((int)d.OldMode, 8)).Key == key)
                .Select(d => added with { Status = 'R', OldPath = d.OldPath, OldMode = Convert.ToString((int)d.OldMode, 8), OldBlob = d.OldOid.Sha })
                .FirstOrDefault();
        }
        if (moved is null) return null;
        result[^1] = moved;
        return await log.ReadAsync(["--follow"], [moved.OldPath!], ct, revision: added.CommitId + "^");
    }

    /// <summary>The variant's creation (a merge's change, shown with -m), then the history of the name on the side it came from.</summary>
    private async Task<IReadOnlyList<LoggedChange>?> BeforeVariantAsync(GitLog log, List<LoggedChange> result, string variant, CancellationToken ct)
    {
        var oldest = result[^1];
        var created = oldest.Status == 'A' ? oldest
            : (await log.ReadAsync(["-m", "-1", "--diff-filter=A", "--no-renames"], [variant], ct, revision: oldest.CommitId + "^")).FirstOrDefault(c => c.Path == variant);
        if (created is null) return null;
        var older = new List<LoggedChange>();
        if (created != oldest) older.Add(created);
        var basePath = VariantPaths.BaseOf(variant);
        string? side = null;
        using (var git = repo.OpenGit())
        {
            var (key, _) = Inspect(git, created.NewBlob, created.NewMode);
            foreach (var parent in git.Lookup<Commit>(created.CommitId)?.Parents ?? [])
                if (parent[basePath] is { TargetType: TreeEntryTargetType.Blob } entry
                    && (entry.Target.Sha == created.NewBlob || key is not null && Inspect(git, entry.Target.Sha, Convert.ToString((int)entry.Mode, 8)).Key == key))
                {
                    side = parent.Sha;
                    break;
                }
        }
        if (side is null) return older.Count > 0 ? older : null;
        older.AddRange(await log.ReadAsync(["--follow"], [basePath], ct, revision: side));
        return older;
    }

    private const int MaxFollowedMoves = 100;


    /// <summary>Turns logged changes (newest first) into numbered versions.</summary>
    public IReadOnlyList<FileVersion> Describe(IReadOnlyList<LoggedChange> changes)
    {
        using var git = repo.OpenGit();
        using var branch = new GitAnnexBranch(repo, clock);
        var places = new ContentPlaces(repo, branch);
        var versions = new List<FileVersion>(changes.Count);
        foreach (var change in changes)
        {
            var deleted = change.IsDeletion;
            var blob = deleted ? change.OldBlob : change.NewBlob;
            var mode = deleted ? change.OldMode : change.NewMode;
            var (key, size) = Inspect(git, blob, mode);
            versions.Add(new FileVersion(versions.Count + 1, change.CommitId, change.At,
                CommitNode.Describe(change.NodeUuid, change.Subject, places.Descriptions), ActionOf(change),
                change.Path, change.Status is 'R' or 'C' ? change.OldPath : null, size, key, blob, mode,
                key is null ? ContentPlace.InGit : places.Of(key)));
        }
        return versions;
    }

    /// <summary>The annex key a blob points to (null for a file kept in git) and the size of the version.</summary>
    public static (Key? Key, long? Size) Inspect(Repository git, string blobId, string mode)
    {
        if (mode == "160000" || blobId == LoggedChange.NullBlob) return (null, null);
        if (git.Lookup<Blob>(blobId) is not { } blob) return (null, null);
        return AnnexedFiles.TryKeyOf(ModeOf(mode), blob, out var key) ? (key, key.Size) : (null, blob.Size);
    }

    public static Mode ModeOf(string octal) => (Mode)Convert.ToInt32(octal, 8);

    private static VersionAction ActionOf(LoggedChange change) => change.Status switch
    {
        'D' => VersionAction.Deleted,
        'R' or 'C' => VersionAction.Renamed,
        'A' when change.Path.Contains(".variant-", StringComparison.Ordinal) => VersionAction.ConflictVariant,
        'A' => VersionAction.Added,
        _ => VersionAction.Modified,
    };

    private bool IsFolderNow(string relativePath)
    {
        if (repo.WorkTree is { } root && Directory.Exists(Path.Combine(root, relativePath)) && new FileInfo(Path.Combine(root, relativePath)).LinkTarget is null)
            return true;
        using var git = repo.OpenGit();
        return git.Head.Tip?[relativePath]?.TargetType == TreeEntryTargetType.Tree;
    }

    /// <summary>The version the user asked for: by number, by time (the newest at or before it), or by default the one before the current.</summary>
    public static FileVersion Pick(IReadOnlyList<FileVersion> versions, int? number, DateTimeOffset? at, string path)
    {
        if (versions.Count == 0) throw new ArgumentException($"'{path}' has no history (was it ever committed?)");
        if (number is { } n)
        {
            if (n < 1 || n > versions.Count) throw new ArgumentException($"'{path}' has versions 1 to {versions.Count} (see tether log {path}); there is no version {n}");
            return versions[n - 1].IsDeletion ? throw new ArgumentException($"version {n} of '{path}' is its deletion; pick the version before it ({n + 1})") : versions[n - 1];
        }
        if (at is { } time)
        {
            var then = versions.FirstOrDefault(v => v.At <= time)
                ?? throw new ArgumentException($"'{path}' did not exist yet at {time:u} (its first version is from {versions[^1].At:u})");
            return then.IsDeletion ? throw new ArgumentException($"'{path}' was deleted at {time:u} (version {then.Number}); pick an earlier time") : then;
        }
        if (versions[0].IsDeletion)
            return versions.FirstOrDefault(v => !v.IsDeletion) ?? throw new ArgumentException($"'{path}' has no version to restore");
        var previous = versions.Skip(1).FirstOrDefault(v => !v.IsDeletion);
        return previous ?? throw new ArgumentException($"'{path}' has only one version, the current one");
    }
}
