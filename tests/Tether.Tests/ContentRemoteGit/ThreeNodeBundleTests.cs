using Tether.Tests.Plugins.External;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>
/// Three nodes whose only link is one content remote carrying git as bundles (rsync on a local path; an rclone local
/// remote through the external backend and git-annex-remote-rclone): edits on each converge, a conflict keeps both versions.
/// </summary>
public class ThreeNodeBundleTests
{
    [Theory]
    [InlineData("rsync")]
    [InlineData("rclone")]
    public async Task ThreeNodesSharingOnlyOneContentRemoteConvergeAndAConflictKeepsBothVariants(string through)
    {
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        var c = await InitAsync(dir.Path, dir.Combine("c"));
        string[] remote = [store, "--backend", "rsync"];
        if (through == "rclone")
        {
            ExternalRemoteFixture.RequireRclone();
            Directory.CreateDirectory(store); // a prefix without a space: git-annex-remote-rclone 0.6 takes none
            remote = ["external://rclone", "-c", "target=:local", "-c", $"prefix={store}", "--encryption", "none"];
        }
        var add = await CliRunner.RunAsync(a, ["remote", "add", "cloud", .. remote, "--git"]);
        Assert.True(add.ExitCode == 0, add.ToString());
        File.WriteAllText(Path.Combine(a, "plan.txt"), "base\n");
        await SyncOkAsync(a);
        var url = await JoinUrlAsync(a);
        Assert.Contains("encryption=none", url); // unencrypted, said explicitly
        await JoinWithUrlAsync(b, url);
        await JoinWithUrlAsync(c, url);
        await SyncOkAsync(b);
        await SyncOkAsync(c);

        // Each node adds its own file; A and C edit the same one.
        var large = new Dictionary<string, byte[]>();
        foreach (var (node, tag) in new[] { (a, "a"), (b, "b"), (c, "c") })
        {
            File.WriteAllText(Path.Combine(node, $"from-{tag}.txt"), $"written on {tag}\n");
            large[tag] = PluginTestFiles.WriteRandom(Path.Combine(node, "media", $"{tag}.bin"), 1 << 20);
        }
        File.WriteAllText(Path.Combine(a, "plan.txt"), "edit from a\n");
        File.WriteAllText(Path.Combine(c, "plan.txt"), "edit from c\n");
        await SyncOkAsync(a);
        await SyncOkAsync(c); // C meets A's edit: the conflict
        await SyncOkAsync(b);
        foreach (var node in new[] { a, c, b, a, c }) await SyncOkAsync(node); // a round for every node to see the others' last push

        var mainA = GitCli.Run(a, "rev-parse", "main");
        foreach (var node in new[] { a, b, c })
        {
            Assert.True(mainA == GitCli.Run(node, "rev-parse", "main"), $"{node}:\n{GitCli.Run(node, "log", "--graph", "--oneline", "--all")}");
            foreach (var tag in new[] { "a", "b", "c" })
            {
                Assert.Equal($"written on {tag}\n", File.ReadAllText(Path.Combine(node, $"from-{tag}.txt")));
                Assert.Equal(large[tag], File.ReadAllBytes(Path.Combine(node, "media", $"{tag}.bin")));
            }
            Assert.True(VariantContents(node, "plan.txt") is ["edit from a\n", "edit from c\n"], $"{node}: {string.Join(", ", Directory.GetFiles(node))}");
            Assert.False(File.Exists(Path.Combine(node, "plan.txt")));
        }
    }
}
