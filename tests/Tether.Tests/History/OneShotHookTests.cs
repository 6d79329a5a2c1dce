using System.Text.Json;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.History;

/// <summary>`tether sync` (as from cron) runs the hooks before it exits, with the JSON the daemon's hooks get.</summary>
public sealed class OneShotHookTests
{
    [Fact]
    public async Task SyncRunsTheHooksOfItsEventsBeforeExitingWithTheDaemonsJson()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha", "beta"], [("alpha", "beta")]);
        var fromSync = Path.Combine(n.Root, "sync");
        var fromDaemon = Path.Combine(n.Root, "daemon");
        Directory.CreateDirectory(fromSync);
        Directory.CreateDirectory(fromDaemon);
        var target = Path.Combine(n.Root, "target");
        File.WriteAllText(target, fromSync);
        // The hook writes each event's stdin into the folder named in the file `target`.
        n.AppendConfig("alpha", $"  - events: [change, commit, push, transfer]\n    command: [\"sh\", \"-c\", \"cat > \\\"$(cat \\\"$0\\\")/$TETHER_EVENT.json\\\"\", \"{target}\"]\n");

        n.Write("alpha", "big.bin", HistoryNodes.Large);
        n.Write("alpha", "small.txt", "hello"u8.ToArray());
        await n.SyncAsync("alpha");

        var head = GitCli.Run(n["alpha"], "rev-parse", "HEAD").Trim();
        var commit = Read(fromSync, "commit");
        Assert.Equal(head, commit.GetProperty("commit").GetProperty("id").GetString());
        var change = Read(fromSync, "change");
        Assert.Equal(["big.bin", "small.txt"], change.GetProperty("change").GetProperty("added").EnumerateArray().Select(p => p.GetString()).Order());
        Assert.Equal(["big.bin"], change.GetProperty("change").GetProperty("annexed").EnumerateArray().Select(p => p.GetString()));
        var push = Read(fromSync, "push");
        Assert.Equal("beta", push.GetProperty("remote").GetProperty("name").GetString());
        Assert.True(push.GetProperty("push").GetProperty("ok").GetBoolean());
        var transfer = Read(fromSync, "transfer");
        Assert.Equal("upload", transfer.GetProperty("transfer").GetProperty("direction").GetString());
        Assert.Equal("big.bin", transfer.GetProperty("transfer").GetProperty("file").GetString());
        Assert.Equal(n["alpha"], commit.GetProperty("repo").GetString());

        File.WriteAllText(target, fromDaemon);
        using var daemon = await WatchingNode.StartAsync(n["alpha"], (IReadOnlyDictionary<string, string>?)null);
        n.Write("alpha", "later.txt", "from the daemon"u8.ToArray());
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(fromDaemon, "change.json")) && File.Exists(Path.Combine(fromDaemon, "commit.json")),
            TimeSpan.FromSeconds(30), daemon.Daemon.Describe);
        foreach (var name in new[] { "change", "commit" })
        {
            var (oneShot, daemonJson) = (Read(fromSync, name), Read(fromDaemon, name));
            Assert.Equal(Shape(daemonJson), Shape(oneShot));
            Assert.Equal(name, daemonJson.GetProperty("event").GetString());
        }
    }

    /// <summary>`tether drop` tells the hooks too: a transfer event, direction drop, finished (or failed, with why, when refused).</summary>
    [Fact]
    public async Task DropRunsTheTransferHookForWhatItRemovedAndForWhatItRefused()
    {
        using var n = await HistoryNodes.CreateAsync(["alpha", "beta"], [("alpha", "beta")]);
        var events = Path.Combine(n.Root, "events");
        Directory.CreateDirectory(events);
        n.Write("alpha", "big.bin", HistoryNodes.Large);
        await n.SyncAsync("alpha"); // big.bin is on beta now
        n.Write("alpha", "alone.bin", HistoryNodes.Large + 1);
        await n.RunAsync("alpha", "sync", "--no-content");
        n.AppendConfig("alpha", $"  - events: [transfer]\n    command: [\"sh\", \"-c\", \"cat > \\\"$0/$(date +%s%N).json\\\"\", \"{events}\"]\n");

        var dropped = await n.RunAsync("alpha", "drop", "big.bin");
        Assert.Contains("dropped", dropped.Out);
        var finished = Assert.Single(ReadAll(events)).GetProperty("transfer");
        Assert.Equal(("drop", "finished", "big.bin", "here"), (finished.GetProperty("direction").GetString(), finished.GetProperty("phase").GetString(),
            finished.GetProperty("file").GetString(), finished.GetProperty("remote").GetString()));
        Assert.Equal(HistoryNodes.Large, finished.GetProperty("bytes").GetInt64());

        foreach (var file in Directory.GetFiles(events)) File.Delete(file);
        var refused = await CliRunner.RunAsync(n["alpha"], "drop", "alone.bin"); // on no remote
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("REFUSED", refused.Out);
        var failed = Assert.Single(ReadAll(events)).GetProperty("transfer");
        Assert.Equal(("drop", "failed"), (failed.GetProperty("direction").GetString(), failed.GetProperty("phase").GetString()));
        Assert.Contains("numcopies is 1", failed.GetProperty("error").GetString());
    }

    private static List<JsonElement> ReadAll(string folder) =>
        Directory.GetFiles(folder).Order().Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();

    private static JsonElement Read(string folder, string eventName)
    {
        var path = Path.Combine(folder, eventName + ".json");
        Assert.True(File.Exists(path), $"no {eventName} hook ran (files: {string.Join(", ", Directory.GetFiles(folder).Select(Path.GetFileName))})");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    /// <summary>The JSON's structure: every key path with its value kind (values differ between runs).</summary>
    private static string[] Shape(JsonElement json, string prefix = "") => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().SelectMany(p => Shape(p.Value, prefix + "/" + p.Name)).Prepend(prefix + ":object").ToArray(),
        JsonValueKind.Array => [prefix + ":array"],
        JsonValueKind.True or JsonValueKind.False => [prefix + ":bool"],
        var kind => [prefix + ":" + kind],
    };
}
