using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Events;
using Tether.Kernel.Merging;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.History;

/// <summary>
/// `tether conflicts` and `tether resolve`: the conflicts still in the last commit (variant files, grouped by the name they
/// stand for) and how one ends. Every version is committed, so whatever a resolution removes stays in history.
/// A version changed in the work tree since its commit is never removed: the resolve is refused until it is committed.
/// </summary>
public sealed class ConflictCentre(AnnexRepository repo, TimeProvider clock, ILogger log)
{
    public async Task<IReadOnlyList<ConflictedFile>> ListAsync(CancellationToken ct)
    {
        var groups = new SortedDictionary<string, List<(string Path, string Blob, string Mode)>>(StringComparer.Ordinal);
        using (var git = repo.OpenGit())
        {
            var head = git.Head.Tip;
            if (head is null) return [];
            foreach (var (path, entry) in Files(head.Tree))
                if (VariantPaths.IsVariant(path))
                {
                    var basePath = VariantPaths.BaseOf(path);
                    if (!groups.TryGetValue(basePath, out var list)) groups[basePath] = list = [];
                    list.Add((path, entry.Target.Sha, ModeText(entry.Mode)));
                }
            foreach (var (basePath, list) in groups)
                if (head[basePath] is { TargetType: TreeEntryTargetType.Blob } atName) list.Insert(0, (basePath, atName.Target.Sha, ModeText(atName.Mode)));
        }
        var result = new List<ConflictedFile>();
        foreach (var (basePath, list) in groups)
            result.Add(new ConflictedFile(basePath, await DescribeAsync(basePath, list, ct)));
        return result;
    }

    /// <summary>Who made each version: the newest commit that put that content at the name, else the one that added the variant.</summary>
    private async Task<IReadOnlyList<ConflictedVersion>> DescribeAsync(string basePath, List<(string Path, string Blob, string Mode)> list, CancellationToken ct)
    {
        var gitLog = new GitLog(repo);
        var atName = await gitLog.ReadAsync(["--all"], [basePath], ct, revision: "HEAD");
        using var git = repo.OpenGit();
        using var branch = new GitAnnexBranch(repo, clock);
        var descriptions = branch.Descriptions();
        var versions = new List<ConflictedVersion>();
        foreach (var (path, blob, mode) in list)
        {
            var origin = atName.FirstOrDefault(c => c.NewBlob == blob && c.Path == basePath)
                ?? (await gitLog.ReadAsync(["--diff-filter=A", "-1"], [path], ct)).FirstOrDefault();
            var (key, size) = FileHistory.Inspect(git, blob, mode);
            versions.Add(new ConflictedVersion(path, VariantPaths.CodeOf(path),
                origin is null ? "unknown" : CommitNode.Describe(origin.NodeUuid, origin.Subject, descriptions),
                origin?.At ?? DateTimeOffset.UnixEpoch, origin?.CommitId ?? "", size, key is not null, blob, mode));
        }
        return versions;
    }

    /// <summary>The conflict a path names: the path its versions stand for, or one of its variants.</summary>
    public async Task<ConflictedFile> FindAsync(string path, CancellationToken ct)
    {
        var all = await ListAsync(ct);
        return all.FirstOrDefault(c => c.Path == path || c.Versions.Any(v => v.Path == path))
            ?? throw new ArgumentException($"'{path}' has no conflict in the last commit (tether conflicts lists them; a conflict merged just now needs a sync first)");
    }

    /// <summary>The version a --keep argument names: its path, file name, variant code or the node that made it.</summary>
    public static ConflictedVersion Select(ConflictedFile conflict, string selector)
    {
        var matches = conflict.Versions.Where(v => v.Path == selector || v.Path.EndsWith("/" + selector, StringComparison.Ordinal) || v.Code == selector).ToList();
        if (matches.Count == 0) matches = conflict.Versions.Where(v => v.Node.Equals(selector, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"no version of '{conflict.Path}' is '{selector}'; its versions: {Choices(conflict)}"),
            _ => throw new ArgumentException($"'{selector}' names {matches.Count} versions of '{conflict.Path}'; name one by its file: {Choices(conflict)}"),
        };
    }

    private static string Choices(ConflictedFile conflict) =>
        string.Join(", ", conflict.Versions.Select(v => $"{v.Path} (from {v.Node}{(v.Code.Length > 0 ? ", " + v.Code : "")})"));

    /// <summary>The chosen version takes the name; the others are removed (they stay in history).</summary>
    public ResolvedEvent Keep(ConflictedFile conflict, ConflictedVersion chosen)
    {
        EnsureUnchanged(conflict);
        var removed = new List<string>();
        foreach (var other in conflict.Versions.Where(v => v != chosen))
        {
            WorkTreeEntry.Delete(repo.WorkPath(other.Path));
            removed.Add(other.Path);
        }
        if (chosen.Path != conflict.Path)
        {
            MoveVersion(chosen, conflict.Path);
            removed.Add(chosen.Path);
        }
        log.LogInformation("Resolved {Path}: kept {Chosen}", conflict.Path, chosen.Path);
        return new ResolvedEvent(clock.GetUtcNow(), conflict.Path, "keep", [conflict.Path], removed);
    }

    /// <summary>Every version is kept under a plain name of its own, "name (node).ext", so nothing is a variant any more.</summary>
    public ResolvedEvent KeepBoth(ConflictedFile conflict)
    {
        EnsureUnchanged(conflict);
        var kept = new List<string>();
        var removed = new List<string>();
        foreach (var version in conflict.Versions)
        {
            if (version.Path == conflict.Path) { kept.Add(version.Path); continue; }
            var name = FreeNameFor(conflict.Path, version);
            MoveVersion(version, name);
            kept.Add(name);
            removed.Add(version.Path);
        }
        return new ResolvedEvent(clock.GetUtcNow(), conflict.Path, "both", kept, removed);
    }

    /// <summary>Two text versions merged three-way against their common base; conflict markers only where both changed the same lines.</summary>
    public async Task<(ResolvedEvent Event, int Conflicts)> MergeAsync(ConflictedFile conflict, CancellationToken ct)
    {
        if (conflict.Versions.Count != 2)
            throw new ArgumentException($"--merge takes two versions; '{conflict.Path}' has {conflict.Versions.Count}: keep one with --keep");
        EnsureUnchanged(conflict);
        var (a, b) = (conflict.Versions[0], conflict.Versions[1]);
        var ours = ContentOf(a);
        var theirs = ContentOf(b);
        if (!TextMerge.IsText(ours) || !TextMerge.IsText(theirs))
            throw new ArgumentException($"--merge needs two text versions; a version of '{conflict.Path}' is binary or over {TextMerge.MaxBytes >> 20} MiB: keep one with --keep");
        var merged = await new TextMerge(repo).MergeAsync(ours, $"{a.Path} ({a.Node})", BaseContent(conflict.Path, a, b), theirs, $"{b.Path} ({b.Node})", ct);
        foreach (var version in conflict.Versions) WorkTreeEntry.Delete(repo.WorkPath(version.Path));
        var target = repo.WorkPath(conflict.Path);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".tether-merge-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(temporary, merged.Merged, ct);
        File.Move(temporary, target, overwrite: true);
        var removed = conflict.Versions.Where(v => v.Path != conflict.Path).Select(v => v.Path).ToList();
        return (new ResolvedEvent(clock.GetUtcNow(), conflict.Path, merged.Conflicts == 0 ? "merge" : "merge-with-markers", [conflict.Path], removed), merged.Conflicts);
    }

    private byte[] ContentOf(ConflictedVersion version)
    {
        using var git = repo.OpenGit();
        var (key, _) = FileHistory.Inspect(git, version.BlobId, version.Mode);
        if (key is null)
            return version.Mode == "120000" ? throw new ArgumentException($"{version.Path} is a symlink; --merge needs two text files") : ConflictVersion.BlobBytes(git, new ObjectId(version.BlobId));
        var content = new ObjectStore(repo).FindContent(key) ?? throw new ArgumentException($"the content of {version.Path} is not here: tether get {version.Path} first");
        return File.ReadAllBytes(content);
    }

    /// <summary>The name's content where the two versions' histories meet (their merge base); empty when they share none.</summary>
    private byte[] BaseContent(string path, ConflictedVersion a, ConflictedVersion b)
    {
        using var git = repo.OpenGit();
        if (git.Lookup<Commit>(a.CommitId) is not { } ca || git.Lookup<Commit>(b.CommitId) is not { } cb) return [];
        var mergeBase = git.ObjectDatabase.FindMergeBase(ca, cb);
        if (mergeBase?[path] is not { TargetType: TreeEntryTargetType.Blob } entry) return [];
        var (key, _) = FileHistory.Inspect(git, entry.Target.Sha, ModeText(entry.Mode));
        if (key is null) return ConflictVersion.BlobBytes(git, entry.Target.Id);
        return new ObjectStore(repo).FindContent(key) is { } content ? File.ReadAllBytes(content) : [];
    }

    private void MoveVersion(ConflictedVersion version, string destination)
    {
        var from = repo.WorkPath(version.Path);
        var to = repo.WorkPath(destination);
        if (version.Mode == "120000" && AnnexLink.TryReadLink(from, out var key))
        {
            // An annex link's target is relative to its folder: written afresh for the new name.
            WorkTreeEntry.Delete(to);
            File.CreateSymbolicLink(to, AnnexLink.TargetFor(destination, key));
            File.Delete(from);
            return;
        }
        File.Move(from, to, overwrite: true);
    }

    private string FreeNameFor(string basePath, ConflictedVersion version)
    {
        var slash = basePath.LastIndexOf('/');
        var name = basePath[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        var (stem, ext) = dot > 0 ? (name[..dot], name[dot..]) : (name, "");
        // A description is a peer's text: no separators or control characters in a file name, and a bounded length.
        var node = new string(version.Node.Select(c => c == '/' || char.IsControl(c) ? '_' : c).Take(MaxLabelLength).ToArray()).Trim();
        if (node.Length == 0 || node is "." or "..") node = version.Code;
        foreach (var label in new[] { node, $"{node} {version.Code}" })
        {
            var candidate = basePath[..(slash + 1)] + $"{stem} ({label}){ext}";
            if (!WorkTreeEntry.Exists(repo.WorkPath(candidate))) return candidate;
        }
        throw new IOException($"cannot name a version of '{basePath}' from {version.Node}: the names are taken");
    }

    private void EnsureUnchanged(ConflictedFile conflict)
    {
        using var git = repo.OpenGit();
        var head = git.Head.Tip!;
        foreach (var version in conflict.Versions)
        {
            var absolute = repo.WorkPath(version.Path);
            var committed = head[version.Path];
            if (committed is null || !ConflictVersion.Read(git, committed.Target.Id, committed.Mode, version.Path).IsAt(absolute))
                throw new InvalidOperationException($"{version.Path} changed since it was committed; let it sync (or tether sync) and resolve again");
        }
        var atName = repo.WorkPath(conflict.Path);
        if (conflict.Versions.All(v => v.Path != conflict.Path) && WorkTreeEntry.Exists(atName))
            throw new InvalidOperationException($"{conflict.Path} was saved since the conflict; let it sync (or tether sync) and resolve again");
    }

    private static IEnumerable<(string Path, TreeEntry Entry)> Files(Tree tree)
    {
        var pending = new Stack<Tree>([tree]);
        while (pending.Count > 0)
            foreach (var entry in pending.Pop())
                if (entry.TargetType == TreeEntryTargetType.Tree) pending.Push((Tree)entry.Target);
                else if (entry.TargetType == TreeEntryTargetType.Blob) yield return (entry.Path.Replace('\\', '/'), entry);
    }

    private const int MaxLabelLength = 60;

    private static string ModeText(Mode mode) => Convert.ToString((int)mode, 8);
}
