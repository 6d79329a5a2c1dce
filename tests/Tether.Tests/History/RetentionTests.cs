using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.History;

/// <summary>history.keep and `tether drop --unused`: never younger than the window without other copies, never below numcopies; past it, gone.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task DropUnusedKeepsYoungVersionsAndDropsThosePastHistoryKeepWhichLogThenCallsGone()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha"], []);
        var a = n["alpha"];
        n.Write("alpha", "old.bin", HistoryNodes.Large);
        n.Write("alpha", "young.bin", HistoryNodes.Large + 1);
        await n.SyncAsync("alpha");
        var (oldKey, youngKey) = (KeyOf(a, "old.bin"), KeyOf(a, "young.bin"));
        GitCli.Run(a, "rm", "-q", "old.bin");
        HistoryNodes.GitAt(a, DateTimeOffset.UtcNow.AddDays(-40), "commit", "-q", "-m", "deleted 40 days ago");
        File.Delete(Path.Combine(a, "young.bin"));
        await n.SyncAsync("alpha");
        Assert.Contains("history here: 2 old version(s)", (await n.RunAsync("alpha", "status")).Out);

        var config = Path.Combine(a, ".tether", "config.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("keep: 30d", "keep: forever"));
        var forever = (await n.RunAsync("alpha", "drop", "--unused")).Out;
        Assert.DoesNotContain("dropped", forever.Replace("dropped:", "").Replace("freed", ""));
        Assert.True(Has(a, oldKey) && Has(a, youngKey), forever);

        File.WriteAllText(config, File.ReadAllText(config).Replace("keep: forever", "keep: 30d"));
        var pastWindow = (await n.RunAsync("alpha", "drop", "--unused", "--older-than", "35d")).Out;
        Assert.Contains("old.bin", pastWindow);
        Assert.Contains("past history.keep", pastWindow);
        Assert.DoesNotContain("young.bin", pastWindow); // unused for less than 35 days: not looked at
        Assert.False(Has(a, oldKey), pastWindow);
        Assert.True(Has(a, youngKey), pastWindow);

        var young = (await n.RunAsync("alpha", "drop", "--unused")).Out;
        Assert.Contains("young.bin", young);
        Assert.Contains("kept: unused for", young);
        Assert.True(Has(a, youngKey), young);

        var oldLog = await n.LogAsync("alpha", "old.bin");
        Assert.Equal("deleted", oldLog[0].GetProperty("action").GetString());
        Assert.Equal("gone", oldLog[1].GetProperty("content").GetString());
        Assert.Contains("content gone", (await n.RunAsync("alpha", "log", "old.bin")).Out);
        Assert.Equal("here", (await n.LogAsync("alpha", "young.bin"))[1].GetProperty("content").GetString());
        Assert.Contains("history here: 1 old version(s)", (await n.RunAsync("alpha", "status")).Out);
        var restore = await CliRunner.RunAsync(a, "restore", "--deleted", "old.bin");
        Assert.NotEqual(0, restore.ExitCode);
        Assert.Contains("gone", restore.Out);
    }

    [Fact]
    public async Task WithinTheWindowAVersionLeavesANodeOnlyWhenNumcopiesOtherCopiesAreVerified()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha", "beta"], [("alpha", "beta")]);
        n.Write("alpha", "draft.bin", HistoryNodes.Large);
        await n.SyncAsync("alpha", "beta");
        var key = KeyOf(n["alpha"], "draft.bin");
        File.Delete(Path.Combine(n["alpha"], "draft.bin"));
        await n.SyncAsync("alpha", "beta", "alpha"); // beta's branches no longer use it either
        Assert.True(Has(n["alpha"], key) && Has(n["beta"], key));

        var onAlpha = (await n.RunAsync("alpha", "drop", "--unused")).Out;
        Assert.Contains("dropped here", onAlpha);
        Assert.False(Has(n["alpha"], key));

        var onBeta = (await n.RunAsync("beta", "drop", "--unused")).Out; // the last copy, within history.keep
        Assert.Contains("kept: unused for", onBeta);
        Assert.Contains("numcopies is 1", onBeta);
        Assert.True(Has(n["beta"], key));
        Assert.Equal("elsewhere", (await n.LogAsync("alpha", "draft.bin"))[1].GetProperty("content").GetString());
    }

    private static Key KeyOf(string repo, string path) =>
        AnnexLink.TryReadLink(Path.Combine(repo, path), out var key) ? key : throw new InvalidOperationException($"{path} is not annexed");

    private static bool Has(string repo, Key key) => new ObjectStore(AnnexRepository.Open(repo)).Contains(key);
}
