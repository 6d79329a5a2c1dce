using System.Text;
using LibGit2Sharp;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Configuration;
using Tether.Tests.Support;
using Tether.Tests.Watching;
using Xunit;
using Tether.Kernel.Topology;
using Tether.Kernel.Wants;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// What a peer writes on the git-annex branch (wants.log globs, huge logs, records forged for our own UUID)
/// is read within bounds of size and time: syncing goes on, and what is over a bound is named and ignored.
/// </summary>
public sealed class HostileAnnexBranchTests
{
    private static readonly string Large = new('x', 4096);

    /// <summary>"*a*a...*c": a backtracking matcher tries every split of a long name of a's, for ever.</summary>
    private static readonly string CatastrophicGlob = string.Concat(Enumerable.Repeat("*a", 25)) + "*c";

    [Fact]
    public async Task APeersCatastrophicWantsGlobDoesNotHangSyncAgainstALongName()
    {
        using var dir = new TempFolder();
        var laptop = await Node.CreateAsync(dir.Combine("laptop"), "laptop");
        var phone = await Node.CreateAsync(dir.Combine("phone"), "phone");
        laptop.AddRemote(phone);
        phone.AddRemote(laptop);
        phone.Wants = WantedContent.Matching([CatastrophicGlob]); // published in tether/wants.log
        await phone.SyncAsync(); await laptop.SyncAsync();

        laptop.Write(new string('a', 70), Large);
        var sync = laptop.SyncAsync();
        Assert.True(await Task.WhenAny(sync, Task.Delay(TimeSpan.FromSeconds(30))) == sync, "the sync hung on the peer's glob");
        var report = await sync;
        Assert.Equal(0, report.Uploaded); // the phone does not want it (no 'c' in the name)
        Assert.Contains(new string('a', 70), laptop.Tree());
    }

    [Fact]
    public void AWantsLineWithTooManyOrTooLongGlobsIsIgnoredNamingItsRepository()
    {
        var many = "[" + string.Join(", ", Enumerable.Range(0, WantsLog.MaxGlobs + 1).Select(i => $"\"d{i}/**\"")) + "]";
        var longGlob = "[\"" + new string('a', WantsLog.MaxGlobLength + 1) + "\"]";
        var log = new ListLogger();
        var current = WantsLog.Current($"u-many {many} timestamp=1s\nu-long {longGlob} timestamp=1s\nu-ok [\"photos/**\"] timestamp=1s\n", log);
        Assert.Equal(["u-ok"], current.Keys);
        Assert.Contains(log.Entries, e => e.Message.Contains("u-many") && e.Message.Contains($"at most {WantsLog.MaxGlobs}") && e.Message.Contains("line 1"));
        Assert.Contains(log.Entries, e => e.Message.Contains("u-long") && e.Message.Contains($"at most {WantsLog.MaxGlobLength}") && e.Message.Contains("line 2"));
    }

    [Theory]
    [InlineData(UuidLog.FileName)]
    [InlineData(TopologyLog.BranchPath)]
    public async Task AHugeLogFromAPeerIsMergedOnlyUpToItsBoundNamingTheFileAndMapFinishes(string file)
    {
        using var dir = new TempFolder();
        var here = dir.Combine("here");
        var peer = await Node.CreateAsync(dir.Combine("peer"), "peer");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", here)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(here, "remote", "add", "peer", peer.Path)).ExitCode);
        var lines = new StringBuilder();
        for (var i = 0; lines.Length < 3 * BoundedLogText.MaxLogBytes; i++) // one repository's line, many times over
            lines.Append(file == UuidLog.FileName
                ? $"00000000-0000-0000-0000-000000000001 junk description timestamp={1700000000 + i}s\n"
                : $"00000000-0000-0000-0000-000000000001 00000000-0000-0000-0000-000000000002 name=r backend=local cost=1 lastreached=0 timestamp={1700000000 + i}s\n");
        CommitToAnnexBranch(peer.Path, file, lines.ToString());

        var (code, output) = await TetherProcess.RunAsync(here, TimeSpan.FromSeconds(60), "sync");
        Assert.True(code == 0, output);
        Assert.Contains($"git-annex branch file {file}", output);
        Assert.Contains($"only the first {BoundedLogText.MaxLogBytes} are read", output);
        Assert.True(long.Parse(GitCli.Run(here, "cat-file", "-s", "git-annex:" + file).Trim()) <= BoundedLogText.MaxLogBytes,
            "the union merge kept more than the bound of the peer's lines");
        (code, output) = await TetherProcess.RunAsync(here, TimeSpan.FromSeconds(30), "map");
        Assert.True(code == 0, output);
        Assert.Contains("00000000-0000-0000-0000-000000000001", output);
    }

    [Fact]
    public async Task AWantsLineForgedForAnotherRepositoryAndDatedIn2100DoesNotOverrideItsOwn()
    {
        using var dir = new TempFolder();
        var laptop = await Node.CreateAsync(dir.Combine("laptop"), "laptop");
        var phone = await Node.CreateAsync(dir.Combine("phone"), "phone");
        laptop.AddRemote(phone);
        phone.AddRemote(laptop);
        phone.Wants = WantedContent.Matching(["photos/**"]);
        await phone.SyncAsync(); await laptop.SyncAsync();
        var phoneUuid = phone.Repo.RequireUuid();
        var in2100 = DateTimeOffset.Parse("2100-01-01T00:00:00Z").ToUnixTimeSeconds();
        var forged = $"{phoneUuid} none timestamp={in2100}s\n";
        CommitToAnnexBranch(laptop.Path, WantsLog.BranchPath, GitCli.Run(laptop.Path, "show", "git-annex:" + WantsLog.BranchPath) + forged);

        laptop.Write("photos/beach.jpg", Large);
        Assert.Equal(1, (await laptop.SyncAsync()).Uploaded); // the phone's own line still says it wants photos
        await phone.SyncAsync();
        Assert.Equal(Large, phone.Read("photos/beach.jpg"));
        var phonesLog = GitCli.Run(phone.Path, "show", "git-annex:" + WantsLog.BranchPath);
        Assert.DoesNotContain($"timestamp={in2100 + 1}s", phonesLog); // the phone did not have to outbid the forgery
    }

    /// <summary>What a hostile peer does: commits any content at a path of its git-annex branch.</summary>
    private static void CommitToAnnexBranch(string repoPath, string path, string content)
    {
        using var git = new Repository(repoPath);
        var tip = git.Branches["git-annex"].Tip;
        var tree = TreeDefinition.From(tip.Tree);
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(content)))
            tree.Add(path, git.ObjectDatabase.CreateBlob(stream), Mode.NonExecutableFile);
        var who = new Signature("peer", "peer@example.org", DateTimeOffset.Now);
        var commit = git.ObjectDatabase.CreateCommit(who, who, "hostile\n", git.ObjectDatabase.CreateTree(tree), [tip], false);
        git.Refs.UpdateTarget(git.Refs["refs/heads/git-annex"], commit.Id);
    }
}
