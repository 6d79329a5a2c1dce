using System.Text.Json;
using Tether.Kernel.Configuration;
using Tether.Kernel.Hooks;
using Xunit;

namespace Tether.Tests.Hooks;

/// <summary>Each event kind reaches a YAML hook and a drop-in hook with the documented JSON on stdin and TETHER_* environment.</summary>
public sealed class HookEventDeliveryTests
{
    private static readonly string[] TopLevelKeys =
        ["event", "at", "repo", "coalesced", "remote", "commit", "change", "push", "receive", "conflict", "resolved", "transfer", "connection", "error"];

    public static TheoryData<string> Events() => new(HookEvents.All);

    [Theory]
    [MemberData(nameof(Events))]
    public async Task EveryEventReachesAYamlHookAndADropInWithItsDocumentedPayload(string eventName)
    {
        using var h = new HookHarness();
        var (yamlOut, dropInOut) = (h.Combine("yaml"), h.Combine("dropin"));
        h.AddRecordingDropIn(eventName, "10-record", dropInOut);
        h.Start([new HookConfig
        {
            Name = "recorder", Events = [eventName],
            Command = [h.Recorder, yamlOut, "{{ event }}", "{{ remote.name }}", "{{ commit.id }}"],
            Env = new Dictionary<string, string> { ["EXTRA"] = "from config" },
        }]);
        var at = new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);
        h.Bus.Publish(HookSamples.For(eventName, at, remote: "server", paths: ["docs/a.txt", "b c.jpg"]));

        await h.WaitDoneAsync(yamlOut);
        await h.WaitDoneAsync(dropInOut);
        foreach (var outDir in new[] { yamlOut, dropInOut })
        {
            var json = HookHarness.Stdin(outDir);
            Assert.Equal(TopLevelKeys, json.EnumerateObject().Select(p => p.Name));
            Assert.Equal(eventName, json.GetProperty("event").GetString());
            Assert.Equal("2025-05-06T07:08:09.000Z", json.GetProperty("at").GetString());
            Assert.Equal(h.WorkTree, json.GetProperty("repo").GetString());
            Assert.Equal(0, json.GetProperty("coalesced").GetInt32());
            CheckSection(eventName, json);

            var env = HookHarness.Env(outDir);
            Assert.Equal(eventName, env["TETHER_EVENT"]);
            Assert.Equal(h.WorkTree, env["TETHER_REPO"]);
            Assert.Equal("2025-05-06T07:08:09.000Z", env["TETHER_AT"]);
            CheckEnvironment(eventName, env);
        }
        Assert.Equal("recorder", HookHarness.Env(yamlOut)["TETHER_HOOK"]);
        Assert.Equal("from config", HookHarness.Env(yamlOut)["EXTRA"]);
        Assert.Equal($"{eventName}.d/10-record", HookHarness.Env(dropInOut)["TETHER_HOOK"]);

        bool hasRemote = eventName is "push" or "receive" or "transfer" or "remote-connected" or "remote-disconnected";
        bool hasCommit = eventName is "change" or "commit";
        Assert.Equal([eventName, hasRemote ? "server" : "", hasCommit ? HookSamples.SampleCommit : ""], HookHarness.Argv(yamlOut));
        Assert.Empty(HookHarness.Argv(dropInOut));
    }

    private static void CheckSection(string eventName, JsonElement json)
    {
        string[] paths = ["docs/a.txt", "b c.jpg"];
        var sections = new Dictionary<string, string?>
        {
            ["change"] = "change", ["commit"] = null, ["push"] = "push", ["receive"] = "receive", ["conflict"] = "conflict", ["resolved"] = "resolved",
            ["transfer"] = "transfer", ["remote-connected"] = "connection", ["remote-disconnected"] = "connection", ["error"] = "error",
        };
        foreach (var section in new[] { "change", "push", "receive", "conflict", "resolved", "transfer", "connection", "error" })
            if (section != sections[eventName]) Assert.Equal(JsonValueKind.Null, json.GetProperty(section).ValueKind);
        switch (eventName)
        {
            case "change":
                Assert.Equal(HookSamples.SampleCommit, json.GetProperty("commit").GetProperty("id").GetString());
                Assert.Equal(paths, Strings(json.GetProperty("change").GetProperty("added")));
                Assert.Equal(paths, Strings(json.GetProperty("change").GetProperty("paths")));
                Assert.Equal(["b c.jpg"], Strings(json.GetProperty("change").GetProperty("annexed")));
                Assert.Equal(2, json.GetProperty("change").GetProperty("count").GetInt32());
                Assert.Empty(Strings(json.GetProperty("change").GetProperty("deleted")));
                Assert.Equal(JsonValueKind.Array, json.GetProperty("change").GetProperty("renamed").ValueKind);
                break;
            case "commit":
                Assert.Equal(HookSamples.SampleCommit, json.GetProperty("commit").GetProperty("id").GetString());
                Assert.Equal("2 added", json.GetProperty("commit").GetProperty("summary").GetString());
                break;
            case "push":
                Assert.Equal("server", json.GetProperty("remote").GetProperty("name").GetString());
                Assert.True(json.GetProperty("push").GetProperty("ok").GetBoolean());
                Assert.Equal(JsonValueKind.Null, json.GetProperty("push").GetProperty("error").ValueKind);
                break;
            case "receive":
                Assert.Equal("server", json.GetProperty("remote").GetProperty("name").GetString());
                var merge = json.GetProperty("receive").GetProperty("merges")[0];
                Assert.Equal("fast_forward", merge.GetProperty("kind").GetString());
                Assert.Equal("refs/remotes/server/synced/main", merge.GetProperty("ref").GetString());
                break;
            case "conflict":
                Assert.Equal(paths, Strings(json.GetProperty("conflict").GetProperty("paths")));
                var first = json.GetProperty("conflict").GetProperty("conflicts")[0];
                Assert.Equal("docs/a.txt", first.GetProperty("path").GetString());
                Assert.Equal(["docs/a.variant-1a2b.txt", "docs/a.variant-3c4d.txt"], Strings(first.GetProperty("kept_as")));
                break;
            case "resolved":
                var r = json.GetProperty("resolved");
                Assert.Equal("docs/a.txt", r.GetProperty("path").GetString());
                Assert.Equal("keep", r.GetProperty("how").GetString());
                Assert.Equal(["docs/a.txt"], Strings(r.GetProperty("kept")));
                Assert.Equal(["docs/a.variant-3c4d.txt"], Strings(r.GetProperty("removed")));
                break;
            case "transfer":
                var t = json.GetProperty("transfer");
                Assert.Equal("upload", t.GetProperty("direction").GetString());
                Assert.Equal("finished", t.GetProperty("phase").GetString());
                Assert.Equal("b c.jpg", t.GetProperty("file").GetString());
                Assert.Equal("server", t.GetProperty("remote").GetString());
                Assert.Equal(1_048_576, t.GetProperty("bytes").GetInt64());
                Assert.StartsWith("SHA256E-s1048576--", t.GetProperty("key").GetString());
                break;
            case "remote-connected" or "remote-disconnected":
                Assert.Equal("server", json.GetProperty("remote").GetProperty("name").GetString());
                Assert.Equal(eventName == "remote-connected", json.GetProperty("connection").GetProperty("connected").GetBoolean());
                Assert.False(string.IsNullOrEmpty(json.GetProperty("connection").GetProperty("reason").GetString()));
                break;
            case "error":
                Assert.Equal("pusher", json.GetProperty("error").GetProperty("component").GetString());
                Assert.Contains("connection refused", json.GetProperty("error").GetProperty("message").GetString());
                break;
        }
    }

    private static void CheckEnvironment(string eventName, IReadOnlyDictionary<string, string> env)
    {
        bool hasRemote = eventName is "push" or "receive" or "transfer" or "remote-connected" or "remote-disconnected";
        Assert.Equal(hasRemote ? "server" : null, env.GetValueOrDefault("TETHER_REMOTE"));
        Assert.Equal(eventName is "change" or "commit" ? HookSamples.SampleCommit : null, env.GetValueOrDefault("TETHER_COMMIT"));
        Assert.Equal(eventName switch { "change" or "conflict" or "resolved" => "2", "transfer" => "1", _ => null }, env.GetValueOrDefault("TETHER_PATHS_COUNT"));
        if (eventName == "push") Assert.Equal("true", env["TETHER_OK"]);
        if (eventName == "transfer") Assert.Equal("b c.jpg", env["TETHER_FILE"]);
        if (eventName == "error") Assert.Equal("pusher", env["TETHER_COMPONENT"]);
        if (eventName.StartsWith("remote-")) Assert.True(env.ContainsKey("TETHER_REASON"));
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
