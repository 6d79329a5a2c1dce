using System.Diagnostics;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>On a fresh HOME (no git identity anywhere), git and git-annex work in a repository `tether init` made.</summary>
public sealed class FreshHomeTests
{
    [Fact]
    public async Task InitSetsARepositoryLocalIdentitySoGitAnnexFsckWorksAtOnce()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is needed (./run-tests installs it)");
        using var dir = new TempFolder();
        var home = dir.Combine("home");
        Directory.CreateDirectory(home);
        var repo = dir.Combine("repo");

        Assert.Equal(0, (await RunAsync(home, dir.Path, TetherProcess.ProgramPath, "init", repo)).Code);
        File.WriteAllBytes(Path.Combine(repo, "big.bin"), new byte[2 << 20]);
        var sync = await RunAsync(home, repo, TetherProcess.ProgramPath, "sync");
        Assert.True(sync.Code == 0, sync.Output);
        var fsck = await RunAsync(home, repo, "git", "annex", "fsck");
        Assert.True(fsck.Code == 0, fsck.Output);
        Assert.DoesNotContain("unable to auto-detect email address", fsck.Output);
        Assert.Equal("Tether", (await RunAsync(home, repo, "git", "config", "--local", "user.name")).Output.Trim());

        // Someone with an identity of their own keeps it: nothing is written into the repository.
        File.WriteAllText(Path.Combine(home, ".gitconfig"), "[user]\n\tname = Me\n\temail = me@example.org\n");
        var mine = dir.Combine("mine");
        Assert.Equal(0, (await RunAsync(home, dir.Path, TetherProcess.ProgramPath, "init", mine)).Code);
        Assert.NotEqual(0, (await RunAsync(home, mine, "git", "config", "--local", "user.email")).Code);
    }

    /// <summary>A program with HOME set to <paramref name="home"/> and no git identity in the environment.</summary>
    private static async Task<(int Code, string Output)> RunAsync(string home, string workDir, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["HOME"] = home;
        foreach (var name in (string[])["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL"])
            psi.Environment.Remove(name);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
