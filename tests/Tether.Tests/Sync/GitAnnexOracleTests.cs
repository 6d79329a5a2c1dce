using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>The real git-annex judges our formats. The CI script installs it; without it these fail loudly.</summary>
public class GitAnnexOracleTests
{
    private static readonly string Large = new('L', 4096);

    private static void RequireGitAnnex() =>
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run the README test command (it installs the apt package git-annex)");

    [Fact]
    public async Task GitAnnexFsckAndWhereisAcceptATetherRepository()
    {
        RequireGitAnnex();
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "laptop");
        var b = await Node.CreateAsync(dir.Combine("b"), "server");
        a.AddRemote(b); b.AddRemote(a);
        a.Write("photos/big one.jpg", Large);
        a.Write("small.txt", "s\n");
        await a.SyncAsync(); await b.SyncAsync();

        Assert.Contains("laptop", GitCli.Run(a.Path, "annex", "info", "--fast"));
        var fsck = GitCli.TryRun(a.Path, "annex", "fsck");
        Assert.True(fsck.ExitCode == 0, fsck.Output);
        var whereis = GitCli.Run(a.Path, "annex", "whereis", "photos/big one.jpg");
        Assert.Contains("2 copies", whereis);
        Assert.Contains("laptop", whereis);
        Assert.Contains("server", whereis);
        Assert.True(GitCli.TryRun(b.Path, "annex", "fsck").ExitCode == 0);
        Assert.True(GitCli.TryRun(a.Path, "fsck", "--no-progress").ExitCode == 0);
    }

    [Fact]
    public async Task PlainGitAnnexCloneGetsContentFromATetherRepository()
    {
        RequireGitAnnex();
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "tether side");
        a.Write("movie.mkv", Large + "m");
        await a.SyncAsync();
        var clone = dir.Combine("clone");
        GitCli.Run(dir.Path, "clone", "--quiet", a.Path, clone);
        GitCli.Run(clone, "annex", "init", "annex clone");
        var get = GitCli.TryRun(clone, "annex", "get", "movie.mkv");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal(Large + "m", File.ReadAllText(Path.Combine(clone, "movie.mkv")));
    }

    [Fact]
    public async Task TetherSyncsARepositoryThatGitAnnexCreated()
    {
        RequireGitAnnex();
        using var dir = new TempFolder();
        var origin = dir.Combine("annexed");
        Directory.CreateDirectory(origin);
        GitCli.Run(origin, "init", "--quiet", "-b", "main");
        GitCli.Run(origin, "annex", "init", "made by git-annex");
        File.WriteAllText(Path.Combine(origin, "archive.tar.gz"), Large + "g");
        File.WriteAllText(Path.Combine(origin, "readme.txt"), "hi\n");
        GitCli.Run(origin, "annex", "add", "archive.tar.gz");
        GitCli.Run(origin, "add", "readme.txt");
        GitCli.Run(origin, "commit", "--quiet", "-m", "from annex");

        var t = await Node.CreateAsync(dir.Combine("tether"), "tether");
        t.AddRemote("annexed", origin);
        var report = await t.SyncAsync();
        Assert.False(report.Failed, string.Join("; ", report.Remotes.SelectMany(r => r.Value.Errors).Concat(report.MissingContent)));
        Assert.Equal(Large + "g", t.Read("archive.tar.gz"));
        Assert.Equal("hi\n", t.Read("readme.txt"));

        t.Write("from-tether.bin", Large + "t");
        Assert.False((await t.SyncAsync()).Failed);
        GitCli.Run(origin, "annex", "sync", "--quiet");
        var get = GitCli.TryRun(origin, "annex", "get", "from-tether.bin");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal(Large + "t", File.ReadAllText(Path.Combine(origin, "from-tether.bin")));
        Assert.True(GitCli.TryRun(origin, "annex", "fsck").ExitCode == 0);
    }
}
