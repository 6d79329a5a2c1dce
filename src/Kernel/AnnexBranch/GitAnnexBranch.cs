using System.Text;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Git;
using Tether.Kernel.Native;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.AnnexBranch;

/// <summary>
/// The git-annex branch: reads go journal-first, writes go to .git/annex/journal (crash-safe, under
/// journal.lck, as git-annex does) and are committed to the branch in batches, without any work tree.
/// One instance per thread: it holds an open LibGit2Sharp repository. Every file is read within the bounds
/// of <see cref="BoundedLogText"/>, also by the union merge: peers write this branch.
/// </summary>
public sealed class GitAnnexBranch : IDisposable
{
    public const string BranchName = "git-annex";
    public const string RefName = "refs/heads/git-annex";
    private const int RefUpdateAttempts = 10;

    private readonly AnnexRepository _annex;
    private readonly TimeProvider _clock;
    private readonly Repository _git;
    private readonly BoundedLogText _bounded;

    public GitAnnexBranch(AnnexRepository annex, TimeProvider clock, ILogger? log = null)
    {
        _annex = annex;
        _clock = clock;
        _bounded = new BoundedLogText(clock, log ?? NullLogger.Instance);
        _git = annex.OpenGit();
    }

    public AnnexRepository Repository => _annex;

    /// <summary>A branch file's current content: the journal's version if any, else the committed one.</summary>
    public string? Read(string path)
    {
        var journal = Path.Combine(_annex.JournalDir, JournalFileName.FromBranchPath(path));
        var committed = ReadCommitted(path);
        if (!File.Exists(journal)) return committed;
        var pending = ReadJournal(journal, path);
        // Per-UUID logs are merged with the branch so a partial journal (git-annex's append mode) loses nothing.
        return IsPerUuidLog(path) && committed is not null ? committed + pending : pending;
    }

    public string? ReadCommitted(string path)
    {
        var tip = _git.Refs[RefName]?.ResolveToDirectReference()?.Target as Commit;
        return tip?[path]?.Target is Blob blob ? Text(blob, path) : null;
    }

    private string Text(Blob blob, string path)
    {
        using var stream = blob.GetContentStream();
        return _bounded.Read(stream, blob.Size, path, blob.Sha);
    }

    private string ReadJournal(string journalFile, string path)
    {
        using var stream = new FileStream(journalFile, FileMode.Open, FileAccess.Read);
        return _bounded.Read(stream, stream.Length, path, "journal");
    }

    /// <summary>Changes a branch file through the journal. The change sees the current content (null if none).</summary>
    public async Task ChangeAsync(string path, Func<string?, string> change, CancellationToken ct)
    {
        _annex.CreateFolderInGitDir(_annex.JournalDir);
        using var _ = await PosixFileLock.AcquireAsync(_annex.JournalLockPath, ct);
        WriteJournal(path, change(Read(path)));
    }

    public Task RecordLocationAsync(Key key, string uuid, LocationStatus status, CancellationToken ct) =>
        ChangeAsync(LocationLog.PathFor(key), old => LocationLog.WithStatus(old, uuid, status, _clock), ct);

    public IReadOnlySet<string> PresentUuids(Key key) => LocationLog.PresentUuids(Read(LocationLog.PathFor(key)));

    /// <summary>
    /// <see cref="PresentUuids(Key)"/> for many keys (a history listing): the branch tip is resolved once, the journal
    /// still read first for each key.
    /// </summary>
    public Func<Key, IReadOnlySet<string>> PresentUuidsAtTip()
    {
        var tip = Tip();
        return key =>
        {
            var path = LocationLog.PathFor(key);
            return File.Exists(Path.Combine(_annex.JournalDir, JournalFileName.FromBranchPath(path)))
                ? LocationLog.PresentUuids(Read(path))
                : LocationLog.PresentUuids(ReadCommittedFrom(tip, path));
        };
    }

    public IReadOnlyDictionary<string, string> Descriptions() => UuidLog.Descriptions(Read(UuidLog.FileName));

    public Task SetDescriptionAsync(string uuid, string description, CancellationToken ct) =>
        ChangeAsync(UuidLog.FileName, old => UuidLog.WithDescription(old, uuid, description, _clock), ct);

    /// <summary>Commits everything in the journal to the branch (creating it if needed). Returns false when there was nothing.</summary>
    public async Task<bool> CommitAsync(string message, CancellationToken ct)
    {
        if (!Directory.Exists(_annex.JournalDir)) return false;
        using var _ = await PosixFileLock.AcquireAsync(_annex.JournalLockPath, ct);
        var files = Directory.GetFiles(_annex.JournalDir).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
        if (files.Count == 0) return false;
        for (var attempt = 1; ; attempt++)
        {
            var tip = Tip();
            var tree = tip is null ? new TreeDefinition() : TreeDefinition.From(tip.Tree);
            foreach (var file in files)
            {
                var path = JournalFileName.ToBranchPath(Path.GetFileName(file));
                var content = ReadJournal(file, path);
                if (IsPerUuidLog(path)) content = CompactPerUuid(path, ReadCommittedFrom(tip, path) + content);
                tree.Add(path, Blob(content), Mode.NonExecutableFile);
            }
            var parents = tip is null ? Array.Empty<Commit>() : new[] { tip };
            if (TryAdvance(tip, CommitTree(tree, message, parents))) break;
            if (attempt >= RefUpdateAttempts) throw new IOException($"{_annex.DisplayPath}: the git-annex branch kept changing under us; try again");
        }
        foreach (var file in files) File.Delete(file);
        return true;
    }

    /// <summary>Creates the local branch if missing: from the remotes' git-annex branches when there are any, else empty.</summary>
    public void EnsureExists()
    {
        if (Tip() is not null) return;
        var remoteRefs = RemoteBranchRefs().ToList();
        if (remoteRefs.Count > 0) { UnionMerge(remoteRefs); if (Tip() is not null) return; }
        var commit = CommitTree(new TreeDefinition(), "branch created", []);
        _git.Refs.Add(RefName, commit.Id, "tether: create git-annex branch");
    }

    /// <summary>The git-annex branches of remotes, as fetched: refs/remotes/*/git-annex and refs/remotes/*/synced/git-annex.</summary>
    public IEnumerable<string> RemoteBranchRefs() =>
        _git.Refs.Present().Where(r => r.CanonicalName.StartsWith("refs/remotes/", StringComparison.Ordinal)
                && (r.CanonicalName.EndsWith("/git-annex", StringComparison.Ordinal)))
            .Select(r => r.CanonicalName)
            .Concat(_git.Refs.Present().Where(r => r.CanonicalName is "refs/heads/synced/git-annex"
                || (r.CanonicalName.StartsWith("refs/synced/", StringComparison.Ordinal) && r.CanonicalName.EndsWith("/git-annex", StringComparison.Ordinal)))
                .Select(r => r.CanonicalName))
            .ToList();

    /// <summary>
    /// git-annex's union merge: every file that differs becomes the sorted, de-duplicated union of both sides'
    /// lines. One merge commit with all merged refs as parents; a fast-forward when we have nothing of our own.
    /// Returns true when the branch moved.
    /// </summary>
    public bool UnionMerge(IEnumerable<string> refNames)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tip = Tip();
            var incoming = refNames.Select(n => _git.Refs[n]?.ResolveToDirectReference()?.Target as Commit)
                .OfType<Commit>().DistinctBy(c => c.Id)
                .Where(c => tip is null || (c.Id != tip.Id && !IsAncestor(c, tip))).ToList();
            if (incoming.Count == 0) return false;
            var merged = MergeCommits(tip, incoming);
            if (TryAdvance(tip, merged)) return true;
            if (attempt >= RefUpdateAttempts) throw new IOException($"{_annex.DisplayPath}: the git-annex branch kept changing during a merge; try again");
        }
    }

    private Commit MergeCommits(Commit? tip, List<Commit> incoming)
    {
        if (tip is null && incoming.Count == 1) return incoming[0];
        if (tip is not null && incoming.Count == 1 && IsAncestor(tip, incoming[0])) return incoming[0];
        var result = tip is null ? new TreeDefinition() : TreeDefinition.From(tip.Tree);
        var resultTree = tip?.Tree;
        foreach (var theirs in incoming)
        {
            var changes = _git.Diff.Compare<TreeChanges>(resultTree, theirs.Tree);
            foreach (var change in changes)
            {
                if (change.Status == ChangeKind.Deleted) continue; // present only on our side: keep it
                var theirsText = Text((Blob)_git.Lookup(change.Oid), change.Path);
                var oursText = change.Status == ChangeKind.Added ? null : Text((Blob)_git.Lookup(change.OldOid), change.Path);
                result.Add(change.Path, Blob(UnionLines(oursText, theirsText, BoundedLogText.MaxBytesFor(change.Path))), Mode.NonExecutableFile);
            }
            resultTree = _git.ObjectDatabase.CreateTree(result);
        }
        var parents = (tip is null ? incoming : incoming.Prepend(tip)).ToList();
        return CommitTree(result, "update", parents);
    }

    /// <summary>
    /// The sorted union of both sides' lines. Theirs are added only while the union stays within
    /// <paramref name="maxLength"/>, so a peer's flood of lines never pushes ours out of the bounded read.
    /// </summary>
    public static string UnionLines(string? ours, string theirs, long maxLength = long.MaxValue)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        long length = 0;
        foreach (var line in (ours ?? "").Split('\n'))
            if (line.Length > 0 && lines.Add(line)) length += line.Length + 1;
        foreach (var line in theirs.Split('\n'))
            if (line.Length > 0 && length + line.Length + 1 <= maxLength && lines.Add(line)) length += line.Length + 1;
        return string.Concat(lines.Select(l => l + "\n"));
    }

    private bool IsAncestor(Commit ancestor, Commit descendant) =>
        _git.ObjectDatabase.FindMergeBase(ancestor, descendant)?.Id == ancestor.Id;

    private Commit? Tip() => _git.Refs[RefName]?.ResolveToDirectReference()?.Target as Commit;

    /// <summary>The branch's commit id now (null before it exists): compare two to know whether it moved.</summary>
    public string? TipId => Tip()?.Sha;

    private string? ReadCommittedFrom(Commit? tip, string path) =>
        tip?[path]?.Target is Blob blob ? Text(blob, path) : null;

    private Blob Blob(string content)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return _git.ObjectDatabase.CreateBlob(stream);
    }

    private Commit CommitTree(TreeDefinition tree, string message, IEnumerable<Commit> parents)
    {
        var signature = GitIdentity.For(_git, _clock);
        return _git.ObjectDatabase.CreateCommit(signature, signature, message + "\n", _git.ObjectDatabase.CreateTree(tree), parents, prettifyMessage: false);
    }

    /// <summary>Moves the branch from <paramref name="expected"/> to the new commit, only if nobody moved it meanwhile.</summary>
    private bool TryAdvance(Commit? expected, Commit next)
    {
        try
        {
            var current = _git.Refs[RefName];
            if (current is null)
            {
                if (expected is not null) return false;
                _git.Refs.Add(RefName, next.Id, "tether: git-annex branch");
                return true;
            }
            if (current.ResolveToDirectReference().Target.Id != expected?.Id) return false;
            _git.Refs.UpdateTarget(current, next.Id, "tether: git-annex branch");
            return true;
        }
        catch (LibGit2SharpException)
        {
            return false; // lost a race with another writer (ref lock or changed old value): caller retries
        }
    }

    private void WriteJournal(string path, string content)
    {
        _annex.CreateFolderInGitDir(_annex.JournalDir);
        var target = Path.Combine(_annex.JournalDir, JournalFileName.FromBranchPath(path));
        var tmp = Path.Combine(_annex.JournalDir, "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            NativeFileSystem.Rename(tmp, target);
        }
        catch (IOException)
        {
            File.Delete(tmp); // e.g. a full disk: no half-written journal file left behind
            throw;
        }
    }

    private static bool IsPerUuidLog(string path) => path == UuidLog.FileName || LocationLog.TryKeyFromPath(path, out _);

    private string CompactPerUuid(string path, string content) =>
        path == UuidLog.FileName
            ? string.Concat(UuidLog.Parse(content).GroupBy(e => e.Uuid).Select(g => g.MaxBy(e => e.Time)!)
                .OrderBy(e => e.Uuid, StringComparer.Ordinal).Select(e => e + "\n"))
            : LocationLog.Compact(content);

    public void Dispose() => _git.Dispose();
}
