using System.Diagnostics;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety;

/// <summary>A crash can leave git's index.lock behind; the next sync removes it only if no process holds it.</summary>
public sealed class StaleGitLockTests
{
    [Fact]
    public async Task ALockNobodyHoldsIsRemovedAndAHeldOneIsLeftAlone()
    {
        using var dir = new TempFolder();
        var repo = dir.Combine("repo");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "repo")).ExitCode);
        File.WriteAllText(Path.Combine(repo, "note.txt"), "x");
        var lockPath = Path.Combine(repo, ".git", "index.lock");

        // Held open by a live process (as git holds it while it works): left alone, and the sync reports the failure.
        using (var holder = Process.Start(new ProcessStartInfo("python3") { ArgumentList = { "-c", "import sys,time; f=open(sys.argv[1],'w'); print('ready', flush=True); time.sleep(60)", lockPath }, RedirectStandardOutput = true })!)
        {
            Assert.Equal("ready", await holder.StandardOutput.ReadLineAsync());
            var blocked = await TetherProcess.RunAsync(repo, TimeSpan.FromMinutes(1), "sync");
            Assert.NotEqual(0, blocked.ExitCode);
            Assert.True(File.Exists(lockPath));
            holder.Kill();
            await holder.WaitForExitAsync();
        }

        // The holder died (as after kill -9): the lock is stale and the next sync removes it and commits.
        var sync = await TetherProcess.RunAsync(repo, TimeSpan.FromMinutes(1), "sync");
        Assert.True(sync.ExitCode == 0, sync.Output);
        Assert.False(File.Exists(lockPath));
        Assert.Contains("note.txt", GitCli.Run(repo, "ls-files"));
    }

    /// <summary>Found by the soak (seed 299243261): a kill -9 during a merge left MERGE_MODE.lock; every merge after it failed.</summary>
    [Theory]
    [InlineData("MERGE_MODE.lock")]
    [InlineData("MERGE_HEAD.lock")]
    [InlineData("MERGE_MSG.lock")]
    [InlineData("ORIG_HEAD.lock")]
    [InlineData("config.lock")]
    public async Task AStaleLockOfTheMergeStateIsRemovedAndTheMergeGoesAhead(string lockName)
    {
        using var dir = new TempFolder();
        var a = await Node.CreateAsync(dir.Combine("a"), "a");
        var b = await Node.CreateAsync(dir.Combine("b"), "b");
        a.AddRemote(b); b.AddRemote(a);
        a.Write("seed.txt", "s\n");
        await a.SyncAsync(); await b.SyncAsync();
        a.Write("from a.txt", "a\n");
        b.Write("from b.txt", "b\n");
        await b.SyncAsync();
        var lockPath = Path.Combine(a.Path, ".git", lockName);
        File.WriteAllText(lockPath, "");
        File.SetLastWriteTimeUtc(lockPath, DateTime.UtcNow.AddMinutes(-1));

        var report = await a.SyncAsync();

        Assert.False(report.Failed, string.Join("; ", report.Remotes.SelectMany(r => r.Value.Errors)));
        Assert.False(File.Exists(lockPath));
        Assert.Equal("b\n", a.Read("from b.txt"));
    }
}
