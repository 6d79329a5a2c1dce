using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Merging;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Sync;

/// <summary>
/// Found by the fuzz: a merge resolving its conflicts replaced or removed work-tree files the user had saved after the
/// commit that precedes every merge (seed 1105440591, op 283: an append to a file the other node deleted was removed
/// with the modify/delete conflict), or wrote a conflict version over a different file that already had its variant
/// name (seed 1105440591, op 114: a save onto a variant name). What the user wrote always survives: at its own name
/// when the merge leaves that free, under a variant name otherwise; a version never takes a name already in use.
/// </summary>
public class MergeKeepsUserEditsTests
{
    private static async Task<(TempFolder Dir, Node A, Node B)> SyncedPairAsync(string path, string content)
    {
        var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.AddRemote(b); b.AddRemote(a);
        a.Write(path, content);
        await a.SyncAsync(); await b.SyncAsync();
        return (dir, a, b);
    }

    private static void CommitAll(Node node, string message)
    {
        GitCli.Run(node.Path, "add", "-A");
        GitCli.Run(node.Path, "commit", "-q", "-m", message);
    }

    /// <summary>Merges b's push into a; <paramref name="userSaves"/> runs where a save would land in the daemon: after the
    /// commit before the merge and after libgit2's checkout (which refuses dirty paths itself), before the resolution.</summary>
    private static MergeOutcome MergeWhatBPushed(Node a, Action? userSaves = null) =>
        new BranchMerger(a.Repo, TimeProvider.System, NullLogger.Instance) { AfterCheckout = userSaves, ConflictsThroughLibgit2 = true }
            .Merge("refs/heads/synced/main");

    [Fact]
    public async Task AnEditSavedWhileAModifyDeleteConflictIsResolvedIsKeptAtItsName()
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        File.Delete(b.File("doc.txt"));
        await b.SyncAsync();
        a.Write("doc.txt", "changed\n");
        CommitAll(a, "changed in a");

        var outcome = MergeWith(a, path =>
        {
            if (path == "doc.txt") File.AppendAllText(a.File("doc.txt"), "appended while the merge ran\n");
        });

        Assert.Equal(MergeKind.MergedWithConflicts, outcome.Kind);
        var contents = a.Contents();
        Assert.Contains("changed\n", contents.Values);
        Assert.Equal("changed\nappended while the merge ran\n", contents.GetValueOrDefault("doc.txt"));
    }

    [Fact]
    public async Task AnEditSavedWhileAConflictIsResolvedIsMovedAsideWhenAVersionKeepsTheName()
    {
        var (dir, a, b) = await SyncedPairAsync("data", "small\n");
        using var _ = dir;
        a.Write("data", new string('L', 4096)); // a's version is annexed and goes to a variant; b's plain one keeps the name
        a.Remotes.Clear();
        await a.SyncAsync(); // commits (annexes) a's version only
        b.Write("data", "small, edited in b\n");
        CommitAll(b, "edited in b");
        GitCli.Run(b.Path, "push", "-q", "--force", a.Path, "HEAD:refs/heads/synced/main"); // what b pushes when it syncs

        MergeWith(a, path =>
        {
            if (path == "data") AtomicSave(a.File("data"), "saved in a while the merge ran\n");
        });

        var contents = a.Contents();
        Assert.StartsWith("small, edited in b", contents["data"]);
        Assert.Contains("saved in a while the merge ran\n", contents.Values);
    }

    [Fact]
    public async Task AnEditSavedAfterTheCommitSurvivesAModifyDeleteConflict()
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        File.Delete(b.File("doc.txt"));
        await b.SyncAsync(); // commits the deletion and pushes it into a's synced/main
        a.Write("doc.txt", "changed\n");
        CommitAll(a, "changed in a");

        var outcome = MergeWhatBPushed(a, () => File.AppendAllText(a.File("doc.txt"), "appended after the commit\n"));

        Assert.Equal(MergeKind.MergedWithConflicts, outcome.Kind);
        var contents = a.Contents();
        Assert.Contains("changed\n", contents.Values); // the committed version, as a variant
        Assert.Equal("changed\nappended after the commit\n", contents.GetValueOrDefault("doc.txt")); // the save, where the user made it
    }

    [Fact]
    public async Task AnEditSavedAfterTheCommitSurvivesAConflictThatKeepsAVersionAtItsName()
    {
        var (dir, a, b) = await SyncedPairAsync("data", "small\n");
        using var _ = dir;
        b.Write("data", new string('L', 4096)); // annexed on b: b's version goes to a variant, a's plain one keeps the name
        await b.SyncAsync();
        a.Write("data", "small, edited\n");
        CommitAll(a, "edited in a");

        MergeWhatBPushed(a, () => File.AppendAllText(a.File("data"), "saved after the commit\n"));

        var contents = a.Contents();
        Assert.Contains(new string('L', 4096), contents.Values);
        Assert.Contains("small, edited\n", contents.Values);
        Assert.Contains("small, edited\nsaved after the commit\n", contents.Values);
    }

    [Fact]
    public async Task AConflictVersionNeverOverwritesAFileThatAlreadyHasItsVariantName()
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        a.Write("doc.txt", "from a\n");
        b.Write("doc.txt", "from b\n");
        await a.SyncAsync(); await b.SyncAsync(); await a.SyncAsync(); await b.SyncAsync();
        var variantOfB = a.Contents().Single(c => c.Value == "from b\n").Key;

        // a saves its own text over b's variant; b meanwhile brings "from b" back at the original name, a writes there too.
        a.Write(variantOfB, "saved over the variant in a\n");
        a.Write("doc.txt", "from a again\n");
        await a.SyncAsync();
        b.Write("doc.txt", "from b\n");
        await b.SyncAsync(); await a.SyncAsync(); await b.SyncAsync(); await a.SyncAsync();

        Assert.Equal(a.Tree(), b.Tree());
        AssertEachHolds([a, b], "saved over the variant in a\n", "from a again\n", "from b\n");
    }

    [Fact]
    public async Task AFileTheUserSavedUnderAVariantNameAfterTheCommitIsMovedAsideNotOverwritten()
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        b.Write("doc.txt", "from b\n");
        await b.SyncAsync();
        a.Write("doc.txt", "from a\n");
        CommitAll(a, "edited in a");
        // The name b's version will get, taken by the user before the merge (uncommitted).
        var bsVariant = VariantName.For("doc.txt", ContentKeyOf("doc.txt", "from b\n"));
        a.Write(bsVariant, "the user's own file\n");

        MergeWhatBPushed(a);

        var contents = a.Contents();
        Assert.Equal("from b\n", contents[bsVariant]);
        Assert.Contains("from a\n", contents.Values);
        Assert.Contains("the user's own file\n", contents.Values);
    }

    [Fact]
    public async Task AnEditorBackupBesideAConflictedFileIsNotTakenForAMergeLeftover()
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        a.Write("doc.txt~", "emacs backup\n");
        a.Write("doc.txt~HEAD.txt", "a file of the user's\n");
        await a.SyncAsync(); await b.SyncAsync();
        a.Write("doc.txt", "from a\n");
        b.Write("doc.txt", "from b\n");
        await b.SyncAsync(); await a.SyncAsync(); await b.SyncAsync();

        foreach (var node in new[] { a, b })
        {
            Assert.Equal("emacs backup\n", node.Read("doc.txt~"));
            Assert.Equal("a file of the user's\n", node.Read("doc.txt~HEAD.txt"));
        }
    }

    [Fact]
    public async Task AFileSavedWhereAMergedLinkIsRepointedIsKept()
    {
        var (dir, a, b) = await SyncedPairAsync("x/f.bin", new string('L', 4096));
        using var _ = dir;
        Directory.CreateDirectory(b.File("deep/er"));
        GitCli.Run(b.Path, "mv", "x/f.bin", "deep/er/f.bin"); // plain git: the link now points one level too high
        GitCli.Run(b.Path, "commit", "-q", "-m", "moved with plain git");
        await b.SyncAsync();
        a.Write("from a.txt", "so the merge is a real merge\n");
        CommitAll(a, "a file in a");

        MergeWith(a, path =>
        {
            if (path == "deep/er/f.bin") a.Write("deep/er/f.bin", "the user's text, saved where the link goes\n");
        });

        Assert.Equal(new string('L', 4096), a.Read("deep/er/f.bin")); // the link, repointed for its depth
        await a.SyncAsync();
        Assert.Contains("the user's text, saved where the link goes\n", a.Contents().Values);
        Assert.Equal("", GitCli.Run(a.Path, "status", "--porcelain"));
    }

    /// <summary>Found by the soak (seed 299243261): libgit2's checkout of a fast-forward checks every path, then writes;
    /// an editor's save landing in between was overwritten with the received version.</summary>
    [Fact]
    public async Task ASaveLandingWhileAFastForwardUpdatesTheWorkTreeIsKept()
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        b.Write("doc.txt", "from b\n");
        b.Write("gone.txt", "b deletes this next\n");
        await b.SyncAsync(); await a.SyncAsync();
        File.Delete(b.File("gone.txt"));
        b.Write("doc.txt", "from b, again\n");
        await b.SyncAsync();

        var outcome = MergeWith(a, path =>
        {
            if (path == "doc.txt") AtomicSave(a.File("doc.txt"), "saved in a while the merge ran\n");
            if (path == "gone.txt") AtomicSave(a.File("gone.txt"), "saved in a over what b deleted\n");
        });

        Assert.Equal(MergeKind.FastForward, outcome.Kind);
        var contents = a.Contents();
        Assert.Equal("from b, again\n", contents["doc.txt"]);
        Assert.Contains("saved in a while the merge ran\n", contents.Values); // beside it, under a variant name
        Assert.Equal("saved in a over what b deleted\n", contents["gone.txt"]);
        await a.SyncAsync(); await b.SyncAsync();
        Assert.Equal(a.Tree(), b.Tree());
        Assert.Contains("saved in a while the merge ran\n", b.Contents().Values);
        Assert.Contains("saved in a over what b deleted\n", b.Contents().Values);
    }

    /// <summary>
    /// Found by the soak (seed 549056601): a kill -9 while a conflicted merge updated the work tree left the conflicted
    /// file removed and its variants not yet written; the committer committed the removal, and that version was gone.
    /// Here the merge stops at each of its steps in turn (as a kill would: nothing after it, no index, no branch move).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task AMergeKilledAtAnyStepLosesNoVersion(int stopAtStep)
    {
        var (dir, a, b) = await SyncedPairAsync("doc.md", new string('B', 100));
        using var _ = dir;
        a.Write("doc.md", new string('A', 100));
        a.Write("dir/new in a.txt", "new in a\n");
        b.Write("doc.md", new string('C', 100));
        b.Write("dir/new in b.txt", "new in b\n");
        await b.SyncAsync();
        CommitAll(a, "a's side"); // b's push waits in synced/main

        var steps = new List<string>();
        var stopped = Record.Exception(() => MergeWith(a, path =>
        {
            steps.Add(path);
            if (steps.Count == stopAtStep) throw new IOException("killed here");
        }));
        Assert.True(stopped?.Message == "killed here", $"steps: {string.Join(", ", steps)}; {stopped}");

        await a.SyncAsync(); await b.SyncAsync(); await a.SyncAsync();
        Assert.Equal(a.Tree(), b.Tree());
        AssertEachHolds([a, b], new string('A', 100), new string('C', 100), "new in a\n", "new in b\n");
    }

    [Fact]
    public async Task AFileSavedWhereTheMergeNeedsAFolderMovesAside()
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        b.Write("x/y.txt", "in b's new folder\n");
        await b.SyncAsync();
        a.Write("x", "a file the user saved in a after the last commit\n");

        Assert.Equal(MergeKind.FastForward, MergeWith(a, _ => { }).Kind);

        Assert.Equal("in b's new folder\n", a.Read("x/y.txt"));
        Assert.Contains("a file the user saved in a after the last commit\n", a.Contents().Values);
    }

    [Fact]
    public async Task ASaveLandingWhileAMergeUpdatesTheWorkTreeIsKept()
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        b.Write("doc.txt", "from b\n");
        await b.SyncAsync();
        a.Write("other.txt", "a's own change, so this is a real merge\n");
        CommitAll(a, "a's change");

        var outcome = MergeWith(a, path =>
        {
            if (path == "doc.txt") AtomicSave(a.File("doc.txt"), "saved in a while the merge ran\n");
        });

        Assert.Equal(MergeKind.Merged, outcome.Kind);
        Assert.Equal("from b\n", a.Read("doc.txt"));
        Assert.Contains("saved in a while the merge ran\n", a.Contents().Values);
    }

    /// <summary>
    /// The soak (seed 69949063) lost a version in libgit2's rename conflicts (a folder renamed on one node, files in it
    /// changed or replaced on another). Conflicts are now resolved path by path, rename detection off: the renamed file
    /// and the changed one both stay (the old code kept only the change, moved: big.md's "L" below was gone).
    /// </summary>
    [Fact]
    public async Task RenamesOnOneSideAndChangesOnTheOtherKeepEveryVersion()
    {
        var (dir, a, b) = await SyncedPairAsync("dir/f.md", "base\n");
        using var _ = dir;
        a.Write("dir/g.md", "g base\n");
        a.Write("dir/big.md", new string('L', 4096));
        await a.SyncAsync(); await b.SyncAsync();

        Directory.Move(a.File("dir"), a.File("renamed dir"));
        a.Write("dir/f.md", "a new f where the old one was\n");
        File.Move(b.File("dir/g.md"), b.File("g elsewhere.md"));
        b.Write("dir/f.md", "f changed in b\n");
        b.Write("dir/big.md", new string('M', 4096));
        await a.SyncAsync(); await b.SyncAsync(); await a.SyncAsync(); await b.SyncAsync();

        Assert.Equal(a.Tree(), b.Tree());
        AssertEachHolds([a, b], "base\n", "a new f where the old one was\n", "f changed in b\n", "g base\n", new string('L', 4096), new string('M', 4096));
    }

    /// <summary>
    /// A kill between the merge's swap of a path and its look at what came out left the user's save in the merge's
    /// temp folder, where nothing ever looked again (the fuzz, seed 20261125: an overwrite in place lost on every node).
    /// The swap is journaled first; the next commit gives the save back, at its name or beside it.
    /// </summary>
    [Theory]
    [InlineData(false)] // b changed the file: the merge exchanges it for b's version
    [InlineData(true)]  // b deleted it: the merge renames it out
    public async Task ASaveTakenOutByAMergeKilledRightAfterTheSwapComesBackAndIsCommitted(bool deletedInB)
    {
        var (dir, a, b) = await SyncedPairAsync("doc.txt", "base\n");
        using var _ = dir;
        if (deletedInB) File.Delete(b.File("doc.txt"));
        else b.Write("doc.txt", "from b\n");
        await b.SyncAsync();
        const string save = "saved just before the kill\n";
        var merger = new BranchMerger(a.Repo, TimeProvider.System, NullLogger.Instance)
        {
            BeforeEachPath = path => { if (path == "doc.txt") a.Write("doc.txt", save); },
            AfterEachSwap = _ => throw new SimulatedKill(),
        };

        Assert.Throws<SimulatedKill>(() => merger.Merge("refs/heads/synced/main"));
        Assert.DoesNotContain(save, a.Contents().Values); // taken out, in the merge's temp folder

        await a.SyncAsync(); await b.SyncAsync(); await a.SyncAsync();
        Assert.Contains(save, a.Contents().Values);
        Assert.Contains(save, b.Contents().Values);
        Assert.Equal(a.Tree(), b.Tree());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(a.Repo.StateDir, "merge-tmp")));
    }

    private sealed class SimulatedKill : Exception;

    /// <summary>Every node's work tree holds every one of the contents (at any name).</summary>
    private static void AssertEachHolds(Node[] nodes, params string[] expected)
    {
        foreach (var node in nodes)
        {
            var contents = node.Contents().Values.ToList();
            foreach (var content in expected) Assert.Contains(content, contents);
        }
    }

    private static MergeOutcome MergeWith(Node a, Action<string> beforeEachPath) =>
        new BranchMerger(a.Repo, TimeProvider.System, NullLogger.Instance) { BeforeEachPath = beforeEachPath }.Merge("refs/heads/synced/main");

    private static void AtomicSave(string path, string content)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".swp");
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    [Fact]
    public async Task AFileSavedAfterAMergeWasInterruptedIsKeptWhenTheMergeIsUndone()
    {
        var (dir, a, b) = await SyncedPairAsync("plan.txt", "base\n");
        using var _ = dir;
        b.Write("plan.txt", "edit from b\n");
        b.Write("new.txt", "added in b\n");
        await b.SyncAsync();
        a.Write("plan.txt", "edit from a\n");
        CommitAll(a, "edit in a");
        GitCli.Run(a.Path, "fetch", "-q", "b");
        Assert.NotEqual(0, GitCli.TryRun(a.Path, "merge", "refs/remotes/b/synced/main").ExitCode); // as if killed mid-merge
        a.Write("new.txt", "saved in a after the merge stopped\n");

        await a.SyncAsync(); await b.SyncAsync(); await a.SyncAsync();

        Assert.Equal(a.Tree(), b.Tree());
        AssertEachHolds([a, b], "saved in a after the merge stopped\n", "added in b\n", "edit from a\n", "edit from b\n");
    }

    private static Tether.Sdk.Keys.Key ContentKeyOf(string path, string content)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        return new(Tether.Platform.Hashing.KeyHasher.DefaultBackend,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) + Tether.Sdk.Keys.KeyExtension.For(path),
            bytes.LongLength);
    }
}
