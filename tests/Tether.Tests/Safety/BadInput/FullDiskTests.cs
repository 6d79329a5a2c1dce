using Tether.Kernel.Control;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// A full filesystem (a small tmpfs as the repository or the remote) while a file is annexed, downloaded or uploaded:
/// the step fails with a message naming the file and the lack of space, the file stays whole where it was (mode
/// included), no partial object or download is left behind, and once there is room the same command succeeds.
/// </summary>
public sealed class FullDiskTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    [RootFact]
    public async Task AnnexingOnAFullDiskFailsCleanlyAndLeavesTheFileAsItWas()
    {
        using var dir = new TempFolder();
        using var disk = TestMount.Tmpfs(dir.Combine("a"), "3m");
        var a = disk.Path;
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "a")).ExitCode);
        // Exactly the free space: the file fits, the location log's journal entry then does not.
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), (int)new DriveInfo(a).AvailableFreeSpace);
        var mode = File.GetUnixFileMode(Path.Combine(a, "big.bin"));
        var before = DiskSnapshot.Of(a);

        var (code, output) = await TetherProcess.RunAsync(a, Bounded, "sync");

        Assert.True(code == 1, output);
        Assert.Contains($"tether: failed: no space left on the device of {a} while annexing big.bin: it was left as it was; free some space, then sync again", output);
        Assert.DoesNotContain("   at ", output); // said plainly, no stack trace
        Assert.Equal(before, DiskSnapshot.Of(a));
        Assert.Equal(mode, File.GetUnixFileMode(Path.Combine(a, "big.bin")));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin")));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(a, ".git", "annex"), "*", SearchOption.AllDirectories), f => !f.EndsWith(".lck")); // no object, journal or tmp file

        disk.Resize("16m");
        var again = await TetherProcess.RunAsync(a, Bounded, "sync");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.NotNull(new FileInfo(Path.Combine(a, "big.bin")).LinkTarget);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin")));
    }

    [RootFact]
    public async Task ADownloadIntoAFullDiskFailsNamingTheFileAndKeepsNoPartialDownload()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "b")).ExitCode);
        var content = PluginTestFiles.WriteRandom(Path.Combine(b, "big.bin"), 4_000_000);
        Assert.Equal(0, (await CliRunner.RunAsync(b, "sync")).ExitCode);
        var key = PluginTestFiles.KeyOf(Path.Combine(b, "big.bin"));
        using var disk = TestMount.Tmpfs(a, "3m");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);

        var sync = await TetherProcess.RunAsync(a, Bounded, "sync");

        var noSpace = $"no space left on the device of {a} for 4000000 bytes; the partial download was removed";
        Assert.True(sync.ExitCode == 1, sync.Output);
        Assert.Contains($"download of big.bin ({key}): {noSpace}", sync.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(a, ".git", "annex", "tmp")));
        Assert.Equal("", DiskSnapshot.Listing(Path.Combine(a, ".git", "annex", "objects"), skip: null));
        Assert.Equal(new FileInfo(Path.Combine(b, "big.bin")).LinkTarget, new FileInfo(Path.Combine(a, "big.bin")).LinkTarget); // the merged link, still without content

        var before = DiskSnapshot.Of(a);
        var get = await TetherProcess.RunAsync(a, Bounded, "get", "big.bin");
        Assert.True(get.ExitCode == 1, get.Output);
        Assert.Contains($"get big.bin: FAILED, download from b failed: {noSpace}", get.Output);
        Assert.Equal(before, DiskSnapshot.Of(a));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(a, ".git", "annex", "tmp")));

        disk.Resize("16m");
        var again = await TetherProcess.RunAsync(a, Bounded, "get", "big.bin");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin")));
    }

    [RootFact]
    public async Task AnUploadToAFullRemoteFailsNamingItAndLeavesNoPartialThere()
    {
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        using var remoteDisk = TestMount.Tmpfs(b, "3m");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "a")).ExitCode);
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 4_000_000);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);

        var (code, output) = await TetherProcess.RunAsync(a, Bounded, "sync");

        Assert.True(code == 1, output);
        Assert.Contains($"upload of big.bin failed: no space left on b ({b}) for 4000000 bytes; the partial upload was removed", output);
        Assert.DoesNotContain("   at ", output); // the remote's failed transfer record could be written: no stack trace about it
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(b, ".git", "annex", "tmp")));
        Assert.Equal("", DiskSnapshot.Listing(Path.Combine(b, ".git", "annex", "objects"), skip: null));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin"))); // whole here, behind its annex link

        remoteDisk.Resize("16m");
        var again = await TetherProcess.RunAsync(a, Bounded, "sync");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.NotEqual("", DiskSnapshot.Listing(Path.Combine(b, ".git", "annex", "objects"), skip: null));
    }

    [RootFact]
    public async Task TheDaemonOnAFullDiskSaysSoOnceWaitsAndCommitsWhenThereIsRoom()
    {
        using var dir = new TempFolder();
        using var disk = TestMount.Tmpfs(dir.Combine("a"), "3m");
        var a = disk.Path;
        using var node = await WatchingNode.StartAsync(a);
        // The daemon's own log lives on this disk too: write the file beside the watched tree with room to spare,
        // fill what is left, then move the file in (a rename needs no space).
        var content = PluginTestFiles.WriteRandom(node.Combine(".tether/big.bin.part"), (int)new DriveInfo(a).AvailableFreeSpace - (256 << 10));
        FillUp(node.Combine(".tether/filler"));
        File.Move(node.Combine(".tether/big.bin.part"), node.Combine("big.bin"));
        var message = $"no space left on the device of {a} while annexing big.bin: it was left as it was; free some space, then sync again";

        await Eventually.TrueAsync(() => node.Daemon.Output.Contains(message), Bounded, node.Daemon.Describe);
        await Task.Delay(3000); // a retry loop would fail (and re-hash the file) many times over by now
        Assert.Equal(1, node.Daemon.Output.Split(message).Length - 1);
        Assert.Contains(message, (await node.QueryAsync(ControlCommand.Status))!.Status!.Warnings);
        Assert.Equal(content, File.ReadAllBytes(node.Combine("big.bin")));
        Assert.Null(new FileInfo(node.Combine("big.bin")).LinkTarget);

        disk.Resize("16m");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(a, "HEAD").Contains("big.bin"), Tether.Kernel.Threads.Committer.DiskFullRetry + Bounded, node.Daemon.Describe);
        Assert.StartsWith("/annex/objects/", GitCli.Run(a, "cat-file", "-p", "HEAD:big.bin")); // unlocked (tether init's default): a pointer in git
        Assert.Null(new FileInfo(node.Combine("big.bin")).LinkTarget);
        Assert.Equal(content, File.ReadAllBytes(node.Combine("big.bin")));
        Assert.DoesNotContain(message, (await node.QueryAsync(ControlCommand.Status))!.Status!.Warnings);
        Assert.Equal(0, await node.StopAsync());
    }
    /// <summary>Writes to the file until the filesystem is full (ENOSPC).</summary>
    private static void FillUp(string path)
    {
        var chunk = new byte[64 << 10];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true) file.Write(chunk);
        }
        catch (IOException) when (new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace < chunk.Length) { }
    }
}
