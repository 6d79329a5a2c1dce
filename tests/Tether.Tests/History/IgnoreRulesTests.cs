using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.History;

/// <summary>.gitignore and the config's ignore: globs hold for one-shot sync, the daemon's startup scan and its watcher: never committed, never deleted.</summary>
public sealed class IgnoreRulesTests
{
    private static readonly string[] Ignored = ["debug.log", "build/out.o", ".DS_Store", "sub/Thumbs.db", "doc.txt.swp", "~$report.docx", "docs/.goutputstream-X1Y2Z3", "local/cache.bin"];

    private static async Task<HistoryNodes> NodesAsync()
    {
        var n = await HistoryNodes.CreateAsync(["alpha", "beta"], [("alpha", "beta")]);
        var config = Path.Combine(n["alpha"], ".tether", "config.yml");
        var text = File.ReadAllText(config);
        const string defaults = "ignore: [\".DS_Store\", \"Thumbs.db\", \"*.swp\", \"~$*\", \".goutputstream-*\"]";
        Assert.Contains(defaults, text); // the documented defaults, written into every new config
        File.WriteAllText(config, text.Replace(defaults, "ignore: [\".DS_Store\", \"Thumbs.db\", \"*.swp\", \"~$*\", \".goutputstream-*\", \"local/\"]"));
        n.Write("alpha", ".gitignore", "*.log\nbuild/\n"u8.ToArray());
        return n;
    }

    private static void WriteIgnored(HistoryNodes n, string prefix = "")
    {
        foreach (var path in Ignored) n.Write("alpha", prefix + path, "junk"u8.ToArray());
    }

    private static void AssertNeverCommittedNorDeleted(HistoryNodes n, string node, string prefix = "")
    {
        var tree = WatchingNode.TreePaths(n[node], "HEAD");
        foreach (var path in Ignored)
        {
            Assert.DoesNotContain(prefix + path, tree);
            if (node == "alpha") Assert.True(File.Exists(Path.Combine(n["alpha"], prefix + path)), $"{prefix + path} was deleted");
        }
    }

    [Fact]
    public async Task OneShotSyncCommitsNeitherGitignoredNorConfigIgnoredFiles()
    {
        using var n = await NodesAsync();
        WriteIgnored(n);
        n.Write("alpha", "keep.txt", "kept"u8.ToArray());
        await n.SyncAsync("alpha", "beta", "alpha");

        var tree = WatchingNode.TreePaths(n["alpha"], "HEAD");
        Assert.Contains("keep.txt", tree);
        Assert.Contains(".gitignore", tree);
        AssertNeverCommittedNorDeleted(n, "alpha");
        AssertNeverCommittedNorDeleted(n, "beta");
        Assert.True(File.Exists(Path.Combine(n["beta"], "keep.txt")));
    }

    [Fact]
    public async Task TheDaemonsStartupScanAndWatcherLeaveIgnoredFilesAlone()
    {
        using var n = await NodesAsync();
        WriteIgnored(n, "before/");
        n.Write("alpha", "before/seen.txt", "committed by the startup scan"u8.ToArray());
        using var daemon = await WatchingNode.StartAsync(n["alpha"], (IReadOnlyDictionary<string, string>?)null);
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(n["alpha"], "HEAD").Contains("before/seen.txt"), TimeSpan.FromSeconds(30), daemon.Daemon.Describe);
        AssertNeverCommittedNorDeleted(n, "alpha", "before/");

        WriteIgnored(n, "during/");
        n.Write("alpha", "during/seen.txt", "committed by the watcher"u8.ToArray());
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(n["alpha"], "HEAD").Contains("during/seen.txt"), TimeSpan.FromSeconds(30), daemon.Daemon.Describe);
        AssertNeverCommittedNorDeleted(n, "alpha", "during/");
        AssertNeverCommittedNorDeleted(n, "alpha", "before/");
    }
}
