using System.Text.Json;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.History;

/// <summary>`tether conflicts` and `tether resolve`: the result syncs, the other nodes' variants go, and a `resolved` hook runs.</summary>
public sealed class ConflictCentreTests
{
    private static async Task<HistoryNodes> ConflictAsync(string path, Action<HistoryNodes> seed, Action<HistoryNodes> alphaEdit, Action<HistoryNodes> betaEdit)
    {
        var n = await HistoryNodes.CreateAsync(["alpha", "beta"], [("alpha", "beta")]);
        seed(n);
        await n.SyncAsync("alpha", "beta");
        alphaEdit(n);
        betaEdit(n);
        await n.SyncAsync("alpha", "beta", "alpha");
        Assert.Contains(path, (await n.RunAsync("alpha", "conflicts")).Out);
        return n;
    }

    private static string[] Variants(string repo, string folder = "") =>
        Directory.GetFileSystemEntries(Path.Combine(repo, folder)).Select(Path.GetFileName).Where(f => f!.Contains(".variant-")).Order().ToArray()!;

    [Fact]
    public async Task KeepingOneOfTwoAnnexedVersionsSyncsAndTheOtherNodesVariantsGo()
    {
        byte[] fromAlpha = [], fromBeta = [];
        using var n = await ConflictAsync("video.bin",
            n => n.Write("alpha", "video.bin", HistoryNodes.Large),
            n => fromAlpha = n.Write("alpha", "video.bin", HistoryNodes.Large + 1),
            n => fromBeta = n.Write("beta", "video.bin", HistoryNodes.Large + 2));
        var record = Path.Combine(n.Root, "resolved.json");
        n.AppendConfig("alpha", $"  - events: [resolved]\n    command: [\"sh\", \"-c\", \"cat > \\\"$0\\\"\", \"{record}\"]\n");

        var listed = (await n.RunAsync("alpha", "conflicts")).Out;
        Assert.Contains("video.bin: 2 versions", listed);
        Assert.Contains("from alpha", listed);
        Assert.Contains("from beta", listed);

        var resolve = await n.RunAsync("alpha", "resolve", "video.bin", "--keep", "beta");
        Assert.Contains("kept video.variant-", resolve.Out);
        Assert.Equal(fromBeta, n.Read("alpha", "video.bin"));
        Assert.Empty(Variants(n["alpha"]));
        Assert.True("no conflicts" == (await n.RunAsync("alpha", "conflicts")).Out.Trim(), resolve.Out + GitCli.Run(n["alpha"], "status", "--porcelain"));

        var json = JsonDocument.Parse(File.ReadAllText(record)).RootElement; // written before resolve exited
        Assert.Equal("resolved", json.GetProperty("event").GetString());
        Assert.Equal("video.bin", json.GetProperty("resolved").GetProperty("path").GetString());
        Assert.Equal("keep", json.GetProperty("resolved").GetProperty("how").GetString());
        Assert.Equal(2, json.GetProperty("resolved").GetProperty("removed").GetArrayLength());

        await n.SyncAsync("alpha", "beta");
        Assert.Empty(Variants(n["beta"]));
        Assert.Equal(fromBeta, n.Read("beta", "video.bin"));
        // The kept version's log goes back through the conflict to its side's history; alpha's version went to history.
        var log = await n.LogAsync("beta", "video.bin");
        Assert.Equal(["renamed", "conflict-variant", "modified", "added"], log.Select(v => v.GetProperty("action").GetString()));
        Assert.Equal(["alpha", "beta", "beta", "alpha"], log.Select(v => v.GetProperty("node").GetString()));
        var removed = json.GetProperty("resolved").GetProperty("removed").EnumerateArray().Select(r => r.GetString()!).Single(r => r != log[1].GetProperty("path").GetString());
        Assert.Contains(removed, (await n.RunAsync("beta", "restore", "--deleted", "--list")).Out);
        await n.RunAsync("beta", "restore", "--deleted", removed);
        Assert.Equal(fromAlpha, n.Read("beta", removed));
    }

    [Fact]
    public async Task MergeOfTwoAnnexedTextVersionsIsCleanWhenTheyChangedDifferentLines()
    {
        // Annexed texts: git cannot merge them, so the sync keeps both as variants; --merge merges them line by line.
        using var n = await ConflictAsync("notes.md",
            n =>
            {
                foreach (var node in new[] { "alpha", "beta" }) AnnexMarkdown(n, node);
                n.Write("alpha", "notes.md", "one\ntwo\nthree\nfour\nfive\n"u8.ToArray());
            },
            n => n.Write("alpha", "notes.md", "ONE by alpha\ntwo\nthree\nfour\nfive\n"u8.ToArray()),
            n => n.Write("beta", "notes.md", "one\ntwo\nthree\nfour\nFIVE by beta\n"u8.ToArray()));
        Assert.NotNull(new FileInfo(Path.Combine(n["alpha"], Variants(n["alpha"])[0])).LinkTarget); // annexed
        var resolve = await n.RunAsync("alpha", "resolve", "notes.md", "--merge");
        Assert.Contains("merged cleanly", resolve.Out);
        Assert.Equal("ONE by alpha\ntwo\nthree\nfour\nFIVE by beta\n", File.ReadAllText(Path.Combine(n["alpha"], "notes.md")));
        await n.SyncAsync("alpha", "beta");
        Assert.Empty(Variants(n["beta"]));
        Assert.Equal("ONE by alpha\ntwo\nthree\nfour\nFIVE by beta\n", File.ReadAllText(Path.Combine(n["beta"], "notes.md")));
    }

    private static void AnnexMarkdown(HistoryNodes n, string node)
    {
        var config = Path.Combine(n[node], ".tether", "config.yml");
        var text = File.ReadAllText(config);
        var at = text.IndexOf("include: []", StringComparison.Ordinal);
        File.WriteAllText(config, text[..at] + "include: [\"*.md\"]" + text[(at + "include: []".Length)..]);
    }

    [Fact]
    public async Task MergeLeavesMarkersOnlyWhereBothChangedTheSameLines()
    {
        using var n = await ConflictAsync("notes.txt",
            n => n.Write("alpha", "notes.txt", "one\ntwo\nthree\nfour\nfive\n"u8.ToArray()),
            n => n.Write("alpha", "notes.txt", "ONE by alpha\ntwo\nTHREE by alpha\nfour\nfive\n"u8.ToArray()),
            n => n.Write("beta", "notes.txt", "one\ntwo\nTHREE by beta\nfour\nfive\n"u8.ToArray()));
        var resolve = await n.RunAsync("alpha", "resolve", "notes.txt", "--merge");
        Assert.Contains("1 conflicting part(s) marked", resolve.Out);
        var merged = File.ReadAllText(Path.Combine(n["alpha"], "notes.txt"));
        Assert.StartsWith("ONE by alpha\ntwo\n<<<<<<< ", merged);
        Assert.Matches("\n<<<<<<< [^\n]*\nTHREE by (alpha|beta)\n=======\nTHREE by (alpha|beta)\n>>>>>>> [^\n]*\nfour\n", merged);
        Assert.Contains("THREE by alpha", merged);
        Assert.Contains("THREE by beta", merged);
        Assert.EndsWith("four\nfive\n", merged);
        Assert.Single(merged.Split('\n'), l => l.StartsWith("<<<<<<<"));
        Assert.Empty(Variants(n["alpha"]));
        await n.SyncAsync("alpha", "beta");
        Assert.Equal(merged, File.ReadAllText(Path.Combine(n["beta"], "notes.txt")));
    }

    [Fact]
    public async Task ASymlinkVersusAFileEndsWithTheChosenSymlinkOnEveryNode()
    {
        using var n = await ConflictAsync("shortcut",
            n => n.Write("alpha", "target.txt", "the target\n"u8.ToArray()),
            n => File.CreateSymbolicLink(Path.Combine(n["alpha"], "shortcut"), "target.txt"),
            n => n.Write("beta", "shortcut", "a plain file\n"u8.ToArray()));
        var conflict = (await n.RunAsync("alpha", "conflicts")).Out;
        var link = Variants(n["alpha"]).Single(v => new FileInfo(Path.Combine(n["alpha"], v)).LinkTarget is not null);

        await n.RunAsync("alpha", "resolve", "shortcut", "--keep", link);
        Assert.Equal("target.txt", new FileInfo(Path.Combine(n["alpha"], "shortcut")).LinkTarget);
        Assert.Empty(Variants(n["alpha"]));
        await n.SyncAsync("alpha", "beta");
        Assert.Equal("target.txt", new FileInfo(Path.Combine(n["beta"], "shortcut")).LinkTarget);
        Assert.Empty(Variants(n["beta"]));
        Assert.Contains("shortcut", conflict);
    }

    [Fact]
    public async Task KeepBothGivesEveryVersionANameOfItsOwn()
    {
        using var n = await ConflictAsync("plan.txt",
            n => n.Write("alpha", "plan.txt", "base\n"u8.ToArray()),
            n => n.Write("alpha", "plan.txt", "alpha's plan\n"u8.ToArray()),
            n => n.Write("beta", "plan.txt", "beta's plan\n"u8.ToArray()));
        await n.RunAsync("alpha", "resolve", "plan.txt", "--keep", "both");
        Assert.Equal("alpha's plan\n", File.ReadAllText(Path.Combine(n["alpha"], "plan (alpha).txt")));
        Assert.Equal("beta's plan\n", File.ReadAllText(Path.Combine(n["alpha"], "plan (beta).txt")));
        await n.SyncAsync("alpha", "beta");
        Assert.Empty(Variants(n["beta"]));
        Assert.Equal("beta's plan\n", File.ReadAllText(Path.Combine(n["beta"], "plan (beta).txt")));
        Assert.Equal("", GitCli.Run(n["beta"], "status", "--porcelain").Trim());
    }
}
