using System.Text.Json;
using Xunit;

namespace Tether.Tests.History;

/// <summary>`tether log` and `tether restore` on 2 and 3 nodes synced with the real commands.</summary>
public sealed class LogAndRestoreTests
{
    [Fact]
    public async Task EveryVersionMadeOnTwoNodesIsLoggedWithItsNodeAndRestoresExactly()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha", "beta"], [("alpha", "beta")]);
        var made = new List<(string Node, byte[] Bytes)>(); // oldest first
        for (var round = 0; round < 5; round++)
            foreach (var (node, other) in new[] { ("alpha", "beta"), ("beta", "alpha") })
            {
                made.Add((node, n.Write(node, "doc.bin", HistoryNodes.Large + round)));
                await n.SyncAsync(node, other);
            }
        Directory.CreateDirectory(Path.Combine(n["alpha"], "docs"));
        File.Move(Path.Combine(n["alpha"], "doc.bin"), Path.Combine(n["alpha"], "docs", "report.bin"));
        await n.SyncAsync("alpha", "beta");

        var log = await n.LogAsync("beta", "docs/report.bin");
        Assert.Equal(11, log.Length);
        Assert.Equal("renamed", log[0].GetProperty("action").GetString());
        Assert.Equal("doc.bin", log[0].GetProperty("renamed_from").GetString());
        Assert.Equal("alpha", log[0].GetProperty("node").GetString());
        for (var i = 1; i < log.Length; i++)
        {
            var version = made[^i];
            Assert.Equal(version.Node, log[i].GetProperty("node").GetString());
            Assert.Equal(i == 10 ? "added" : "modified", log[i].GetProperty("action").GetString());
            Assert.Equal(version.Bytes.Length, log[i].GetProperty("size").GetInt64());
            Assert.True(string.CompareOrdinal(log[i - 1].GetProperty("at").GetString(), log[i].GetProperty("at").GetString()) >= 0, "newest first");
            Assert.True(DateTimeOffset.Parse(log[i].GetProperty("at").GetString()!) > DateTimeOffset.UtcNow.AddMinutes(-10));
        }

        // alpha frees the old versions' space (beta verifiably holds them): their content is then only on beta.
        var dropped = (await n.RunAsync("alpha", "drop", "--unused")).Out;
        Assert.Contains("dropped here", dropped);
        var alphaLog = await n.LogAsync("alpha", "docs/report.bin");
        Assert.Equal("here", alphaLog[0].GetProperty("content").GetString());
        foreach (var old in alphaLog.Skip(2))
        {
            Assert.Equal("elsewhere", old.GetProperty("content").GetString());
            Assert.Equal(["beta"], old.GetProperty("holders").EnumerateArray().Select(h => h.GetString()));
        }

        for (var i = 1; i <= 10; i++)
        {
            // Each restore adds a version at the top: the version is found again by its commit.
            var number = (await n.LogAsync("alpha", "docs/report.bin")).Single(v => v.GetProperty("commit").GetString() == log[i].GetProperty("commit").GetString())
                .GetProperty("version").GetInt32();
            var restore = await n.RunAsync("alpha", "restore", "docs/report.bin", "--version", number.ToString());
            Assert.Contains(i == 1 ? "already holds that version" : "restored", restore.Out);
            Assert.Equal(made[^i].Bytes, n.Read("alpha", "docs/report.bin"));
        }
        Assert.Equal("here", (await n.LogAsync("alpha", "docs/report.bin"))[0].GetProperty("content").GetString());
        Assert.Equal(made[0].Bytes, n.Read("alpha", "docs/report.bin"));
        Assert.Equal("", GitCliStatus(n["alpha"]));

        File.Delete(Path.Combine(n["alpha"], "docs", "report.bin"));
        await n.SyncAsync("alpha", "beta");
        var afterDelete = await n.LogAsync("beta", "docs/report.bin");
        Assert.Equal("deleted", afterDelete[0].GetProperty("action").GetString());
        Assert.Equal("alpha", afterDelete[0].GetProperty("node").GetString());
        await n.RunAsync("beta", "restore", "--deleted", "docs/report.bin");
        Assert.Equal(made[0].Bytes, n.Read("beta", "docs/report.bin"));
        await n.SyncAsync("beta", "alpha");
        Assert.Equal(made[0].Bytes, n.Read("alpha", "docs/report.bin"));
    }

    [Fact]
    public async Task ADeletedFolderRestoresWholeAndIsListedAmongTheDeletions()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha", "beta"], [("alpha", "beta")]);
        var files = new Dictionary<string, byte[]>
        {
            ["photos/a.txt"] = n.Write("alpha", "photos/a.txt", 100),
            ["photos/sub/b.bin"] = n.Write("alpha", "photos/sub/b.bin", HistoryNodes.Large),
            ["photos/sub/c.txt"] = n.Write("alpha", "photos/sub/c.txt", 10),
        };
        n.Write("alpha", "kept.txt", 5);
        await n.SyncAsync("alpha", "beta");
        Directory.Delete(Path.Combine(n["beta"], "photos"), recursive: true);
        await n.SyncAsync("beta", "alpha");
        Assert.False(Directory.Exists(Path.Combine(n["alpha"], "photos")));

        var list = (await n.RunAsync("alpha", "restore", "--deleted", "--list", "--since", "1d")).Out;
        foreach (var path in files.Keys) Assert.Contains(path, list);
        Assert.DoesNotContain("kept.txt", list);
        Assert.Contains("beta", list);
        Assert.Contains("nothing deleted", (await n.RunAsync("alpha", "restore", "--deleted", "--list", "--since", "2026-01-01T00:00:00Z", "kept.txt")).Out);

        await n.RunAsync("alpha", "restore", "--deleted", "photos");
        foreach (var (path, bytes) in files) Assert.Equal(bytes, n.Read("alpha", path));
        await n.SyncAsync("alpha", "beta");
        foreach (var (path, bytes) in files) Assert.Equal(bytes, n.Read("beta", path));
    }

    [Fact]
    public async Task OnThreeNodesAVersionMadeTwoHopsAwayIsNamedAndFetchedFromTheRemoteThatHasIt()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha", "beta", "gamma"], [("alpha", "beta"), ("beta", "gamma")]);
        var first = n.Write("gamma", "plan.bin", HistoryNodes.Large);
        await n.SyncAsync("gamma");
        var second = n.Write("gamma", "plan.bin", HistoryNodes.Large + 1);
        await n.SyncAsync("gamma", "beta", "alpha");

        var log = await n.LogAsync("alpha", "plan.bin");
        Assert.Equal(["gamma", "gamma"], log.Select(v => v.GetProperty("node").GetString()));
        Assert.Equal("here", log[0].GetProperty("content").GetString());
        Assert.Equal("elsewhere", log[1].GetProperty("content").GetString());

        var text = (await n.RunAsync("alpha", "log", "plan.bin")).Out;
        Assert.Contains("gamma", text);
        Assert.Contains("elsewhere: beta", text);

        await n.RunAsync("alpha", "restore", "plan.bin", "--version", "2"); // (--at: both versions may share a second)
        Assert.Equal(first, n.Read("alpha", "plan.bin"));
        await n.SyncAsync("alpha", "beta", "gamma");
        Assert.Equal(first, n.Read("gamma", "plan.bin"));
        await n.RunAsync("gamma", "restore", "plan.bin", "--version", "2");
        Assert.Equal(second, n.Read("gamma", "plan.bin"));
    }

    [Fact]
    public async Task RestoringOverAnUnsavedEditKeepsTheEditUnderAVariantName()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha"], []);
        n.Write("alpha", "notes.txt", "one\n"u8.ToArray());
        await n.SyncAsync("alpha");
        n.Write("alpha", "notes.txt", "two\n"u8.ToArray());
        await n.SyncAsync("alpha");
        n.Write("alpha", "notes.txt", "unsaved three\n"u8.ToArray());

        var restore = await n.RunAsync("alpha", "restore", "notes.txt", "--at", "now");
        Assert.Contains("kept as notes.variant-", restore.Out);
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(n["alpha"], "notes.txt")));
        var variant = Directory.GetFiles(n["alpha"], "notes.variant-*").Single();
        Assert.Equal("unsaved three\n", File.ReadAllText(variant));
        await n.RunAsync("alpha", "restore", "notes.txt", "--version", "2");
        Assert.Equal("one\n", File.ReadAllText(Path.Combine(n["alpha"], "notes.txt")));
        Assert.Equal("", GitCliStatus(n["alpha"]));
    }

    [Fact]
    public async Task AnUnlockedFileRestoresAsAPlainFileWhoseContentIsFetchedFromTheRemote()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha", "beta"], [("alpha", "beta")], locked: false);
        var first = n.Write("beta", "film.bin", HistoryNodes.Large);
        await n.SyncAsync("beta");
        n.Write("beta", "film.bin", HistoryNodes.Large + 1);
        await n.SyncAsync("beta", "alpha");
        Assert.Contains("dropped here", (await n.RunAsync("alpha", "drop", "--unused")).Out); // the old version: only on beta now

        var log = await n.LogAsync("alpha", "film.bin");
        Assert.Equal("elsewhere", log[1].GetProperty("content").GetString());
        await n.RunAsync("alpha", "restore", "film.bin", "--version", "2");
        var path = Path.Combine(n["alpha"], "film.bin");
        Assert.Null(new FileInfo(path).LinkTarget); // unlocked: a plain file you can edit
        Assert.Equal(first, File.ReadAllBytes(path));
        Assert.StartsWith("/annex/objects/SHA256E-s" + first.Length, Tether.Tests.Support.GitCli.Run(n["alpha"], "cat-file", "-p", "HEAD:film.bin"));
        Assert.Equal("", GitCliStatus(n["alpha"]));
        await n.SyncAsync("alpha", "beta");
        Assert.Equal(first, n.Read("beta", "film.bin"));
    }

    private static string GitCliStatus(string repo) => Tether.Tests.Support.GitCli.Run(repo, "status", "--porcelain").Trim();
}
