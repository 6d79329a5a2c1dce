using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Sync;

/// <summary>
/// A full scan (a one-shot sync, a daemon's startup) takes its candidates from the system git's status, with the annex
/// filter off: every kind of change made while nothing ran is committed, and nothing else.
/// </summary>
public sealed class FullScanTests
{
    [Fact]
    public async Task EveryKindOfChangeMadeWhileStoppedIsCommittedAndIgnoredFilesAreNot()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var a = dir.Combine("a");
        Write(a, "kept.txt", "kept\n");
        Write(a, "edited.txt", "first\n");
        Write(a, "deleted.txt", "gone soon\n");
        Write(a, "folder/inner.txt", "moves with its folder\n");
        Write(a, "big.bin", new string('b', 2 << 20)); // annexed, unlocked
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);

        Write(a, "edited.txt", "second\n");
        File.Delete(Path.Combine(a, "deleted.txt"));
        Directory.Move(Path.Combine(a, "folder"), Path.Combine(a, "renamed folder"));
        Write(a, "new/deep/er/added.txt", "added\n");
        Write(a, "big.bin", new string('c', 2 << 20)); // the same size, other content
        Write(a, ".goutputstream-ABC123", "an editor's temp file\n");
        var nested = Path.Combine(a, "project");
        Directory.CreateDirectory(nested); // a repository of its own, as git add would take it
        GitCli.Run(nested, "init", "-q");
        Write(nested, "code.c", "int main;\n");
        GitCli.Run(nested, "add", "code.c");
        GitCli.Run(nested, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c");

        var (code, output) = await TetherProcess.RunAsync(a, TimeSpan.FromSeconds(60), "sync");
        Assert.True(code == 0, output);
        Assert.Contains("project is a git repository of its own: committed as git add commits one", output);

        Assert.Equal(["big.bin", "edited.txt", "kept.txt", "new/deep/er/added.txt", "project", "renamed folder/inner.txt"],
            WatchingNode.TreePaths(a, "HEAD"));
        Assert.Equal("second\n", GitCli.Run(a, "cat-file", "-p", "HEAD:edited.txt"));
        Assert.Equal("160000", GitCli.Run(a, "ls-tree", "HEAD", "project").Split(' ')[0]);
        var pointer = GitCli.Run(a, "cat-file", "-p", "HEAD:big.bin");
        Assert.StartsWith("/annex/objects/SHA256E-s2097152--", pointer);
        Assert.NotEqual(GitCli.Run(a, "cat-file", "-p", "HEAD~1:big.bin"), pointer);
        Assert.Equal("", GitCli.Run(a, "status", "--porcelain", "--ignore-submodules=all", "--", ".", ":!.goutputstream-ABC123"));
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
