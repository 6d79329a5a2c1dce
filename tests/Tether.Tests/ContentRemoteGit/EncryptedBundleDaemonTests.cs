using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>
/// `tether watch` on two nodes whose only link is an encrypted (shared) rsync remote carrying git as bundles, and no
/// `tether sync` once the second node has joined: edits on each reach the other (names, history, content), and a file
/// edited on both while one daemon is stopped keeps both versions on both once it starts again.
/// </summary>
public class EncryptedBundleDaemonTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwoDaemonsSharingOnlyAnEncryptedRsyncRemoteWithGitConvergeAndAConflictKeepsBothVariants()
    {
        RequireTools();
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "cloud", store, "--backend", "rsync", "--encryption", "shared", "--git"));
        await JoinWithUrlAsync(b, await JoinUrlAsync(a));
        PullEvery(a, "1s");
        PullEvery(b, "1s");

        using var watchA = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);
        using var watchB = await WatchingNode.StartAsync(b, (IReadOnlyDictionary<string, string>?)null);
        string Logs() => $"A:\n{watchA.Daemon.Output}\nB:\n{watchB.Daemon.Output}";

        File.WriteAllText(Path.Combine(a, "plan.txt"), "base\n");
        var fromA = WriteMarked(Path.Combine(a, "media", "from-a.bin"), 1 << 20);
        await Eventually.TrueAsync(() => Holds(b, "plan.txt", "base\n") && Holds(b, "media/from-a.bin", fromA), Bound, Logs);

        File.WriteAllText(Path.Combine(b, "from-b.txt"), "written on B\n");
        var fromB = WriteMarked(Path.Combine(b, "media", "from-b.bin"), 1 << 20);
        await Eventually.TrueAsync(() => Holds(a, "from-b.txt", "written on B\n") && Holds(a, "media/from-b.bin", fromB), Bound, Logs);
        await Eventually.TrueAsync(() => SameMain(a, b), Bound, () => Graphs(a, b) + Logs()); // one history, not two copies

        // The conflict: B's daemon is stopped while A's edit reaches the remote and B edits the same file.
        Assert.Equal(0, await watchB.StopAsync());
        File.WriteAllText(Path.Combine(a, "plan.txt"), "edit from a\n");
        await Eventually.TrueAsync(() => GitCli.TryRun(a, "show", "refs/remotes/cloud/main:plan.txt") is (0, "edit from a\n"), Bound, Logs); // pushed
        File.WriteAllText(Path.Combine(b, "plan.txt"), "edit from b\n");
        await watchB.StartDaemonAsync();
        foreach (var node in new[] { a, b })
            await Eventually.TrueAsync(() => VariantContents(node, "plan.txt") is ["edit from a\n", "edit from b\n"] && !File.Exists(Path.Combine(node, "plan.txt")),
                Bound, () => $"{node}: {string.Join(", ", Directory.GetFiles(node))}\n{Logs()}");
        await Eventually.TrueAsync(() => SameMain(a, b), Bound, () => Graphs(a, b) + Logs());
        foreach (var node in new[] { a, b })
        {
            Assert.True(Holds(node, "media/from-a.bin", fromA) && Holds(node, "media/from-b.bin", fromB) && Holds(node, "from-b.txt", "written on B\n"), node);
            Assert.Equal(["base\n", "edit from a\n", "edit from b\n"], Versions(node, "plan.txt")); // both sides' history, merged
        }
        Assert.Equal(0, await watchA.StopAsync());
        Assert.Equal(0, await watchB.StopAsync());

        AssertOnlyCiphertext(store, "GPGHMACSHA1", 4); // two files' content, the manifest and its backup, bundles
        output.WriteLine($"{Listing(store).Count} objects on the remote");
    }

    private static bool Holds(string node, string relative, string text) => Holds(node, relative, System.Text.Encoding.UTF8.GetBytes(text));

    private static bool Holds(string node, string relative, byte[] bytes)
    {
        var path = Path.Combine(node, relative);
        return File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);
    }

    /// <summary>Every content <paramref name="file"/> had in main's history.</summary>
    private static IReadOnlyList<string> Versions(string node, string file) =>
        GitCli.Run(node, "log", "--format=%H", "main", "--", file).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(commit => GitCli.TryRun(node, "show", $"{commit}:{file}")).Where(r => r.ExitCode == 0).Select(r => r.Output)
            .Distinct().Order(StringComparer.Ordinal).ToList();

    private static bool SameMain(string a, string b) => GitCli.TryRun(a, "rev-parse", "main") is (0, var ours) && GitCli.TryRun(b, "rev-parse", "main") is (0, var theirs) && ours == theirs;

    private static string Graphs(string a, string b) =>
        $"A:\n{GitCli.Run(a, "log", "--graph", "--oneline", "--all")}\nB:\n{GitCli.Run(b, "log", "--graph", "--oneline", "--all")}\n";
}
