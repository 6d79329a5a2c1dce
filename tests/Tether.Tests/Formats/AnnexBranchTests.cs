using Microsoft.Extensions.Time.Testing;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Formats;

public class AnnexBranchTests
{
    [Theory]
    [InlineData("1795606923.3715487s", "1795606923.3715487s")]
    [InlineData("1700000000s", "1700000000s")]
    [InlineData("1700000000.500s", "1700000000.5s")]
    [InlineData("1700000000.123456789123s", "1700000000.123456789s")]
    public void TimestampsFormatLikeGitAnnex(string parsed, string expected)
    {
        Assert.True(AnnexTimestamp.TryParse(parsed, out var time));
        Assert.Equal(expected, time.ToString());
    }

    [Fact]
    public void LocationLogNewestLineWinsAndWritesCompact()
    {
        var log = "1700000000s 1 aaaa\n1700000005s 0 aaaa\n1700000001s 1 bbbb\ngarbage line\n";
        Assert.Equal(new[] { "bbbb" }, LocationLog.PresentUuids(log));
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1700000010));
        var updated = LocationLog.WithStatus(log, "aaaa", LocationStatus.Present, clock);
        Assert.Equal("1700000010s 1 aaaa\n1700000001s 1 bbbb\n", updated);
    }

    [Fact]
    public void ClockBehindTheLogWritesJustAfterTheNewestLine()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1600000000));
        var updated = LocationLog.WithStatus("1700000000s 1 aaaa\n", "aaaa", LocationStatus.Absent, clock);
        Assert.Equal("1700000001s 0 aaaa\n", updated);
    }

    [Fact]
    public void LocationLogPathUsesLowerHashDirs()
    {
        var key = Key.Parse("SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt");
        Assert.Equal("e7d/d01/SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt.log", LocationLog.PathFor(key));
        Assert.True(LocationLog.TryKeyFromPath(LocationLog.PathFor(key), out var back));
        Assert.Equal(key, back);
    }

    [Theory]
    [InlineData("uuid.log", "uuid.log")]
    [InlineData("e7d/d01/K.log", "e7d_d01_K.log")]
    [InlineData("a_b/c.log", "a__b_c.log")]
    public void JournalNamesRoundTrip(string branchPath, string journalName)
    {
        Assert.Equal(journalName, JournalFileName.FromBranchPath(branchPath));
        Assert.Equal(branchPath, JournalFileName.ToBranchPath(journalName));
    }

    [Fact]
    public async Task JournalIsReadFirstThenCommittedToTheBranch()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Path, "test", false, default);
        var key = Key.Parse("SHA256E-s5--abc.txt");
        using var branch = new GitAnnexBranch(repo, TimeProvider.System);
        await branch.RecordLocationAsync(key, "u-1", LocationStatus.Present, default);
        Assert.Contains("u-1", branch.PresentUuids(key));
        Assert.Null(branch.ReadCommitted(LocationLog.PathFor(key)));
        Assert.True(await branch.CommitAsync("update", default));
        Assert.Empty(Directory.GetFiles(repo.JournalDir));
        Assert.Contains(" 1 u-1", GitCli.Run(dir.Path, "show", "git-annex:" + LocationLog.PathFor(key)));
    }

    [Fact]
    public async Task UnionMergeKeepsLinesFromBothSides()
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        GitCli.Run(a.Path, "fetch", b.Path, "git-annex:refs/remotes/b/git-annex");
        using var branch = new GitAnnexBranch(a.Repo, TimeProvider.System);
        Assert.True(branch.UnionMerge(["refs/remotes/b/git-annex"]));
        var descriptions = branch.Descriptions();
        Assert.Equal("a", descriptions[a.Repo.RequireUuid()]);
        Assert.Equal("b", descriptions[b.Repo.RequireUuid()]);
        Assert.False(branch.UnionMerge(["refs/remotes/b/git-annex"]));
        Assert.Equal(3, GitCli.Run(a.Path, "log", "-1", "--format=%P", "git-annex").Split(' ').Length + 1);
    }
}
