using Xunit;
using System.Net;
using System.Text.Json;
using Tether.Tests.Support;

namespace Tether.Tests.Web;

/// <summary>
/// The history endpoints against a real `tether watch` and real Kestrel: GET /api/history is `tether log --json`,
/// POST /api/restore and /api/resolve change the work tree as `tether restore` and `tether resolve` do, and the
/// daemon commits and syncs the result. (401, 403 and 405 for them: DashboardApiTests, whose endpoint list has them.)
/// </summary>
public sealed class DashboardHistoryTests
{
    private static async Task<JsonElement[]> VersionsAsync(DashboardNode dashboard, string path) =>
        (await dashboard.GetJsonAsync($"api/history?path={Uri.EscapeDataString(path)}")).EnumerateArray().ToArray();

    private static async Task WaitForVersionsAsync(DashboardNode dashboard, string path, int count) =>
        await Eventually.TrueAsync(async () => (await VersionsAsync(dashboard, path)).Length == count, DashboardNode.Soon,
            () => $"{path} has not {count} versions: {string.Join(", ", VersionsAsync(dashboard, path).Result.Select(v => v.GetProperty("action").GetString()))}");

    private static string Compact(JsonElement e) => JsonSerializer.Serialize(e);

    [Fact]
    public async Task HistoryIsWhatTetherLogJsonPrintsForAFileAndForTheWholeFolder()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("server", null)]);
        var file = Path.Combine(dashboard.Path, "notes.txt");
        await File.WriteAllTextAsync(file, "one");
        await WaitForVersionsAsync(dashboard, "notes.txt", 1);
        await File.WriteAllTextAsync(file, "two");
        await WaitForVersionsAsync(dashboard, "notes.txt", 2);

        foreach (var (query, cli) in new[] { ("notes.txt", new[] { "log", "notes.txt", "--json" }), ("", ["log", "--json"]) })
        {
            var fromCli = JsonDocument.Parse((await CliRunner.RunAsync(dashboard.Path, cli)).Out).RootElement.EnumerateArray().Select(Compact).ToList();
            var fromApi = (await dashboard.GetJsonAsync($"api/history?path={query}")).EnumerateArray().Select(Compact).ToList();
            Assert.Equal(fromCli, fromApi);
        }
        var versions = await VersionsAsync(dashboard, "notes.txt");
        Assert.Equal(["modified", "added"], versions.Select(v => v.GetProperty("action").GetString()));
        Assert.Single((await dashboard.GetJsonAsync("api/history?limit=1")).EnumerateArray());

        using var outside = await dashboard.Client.GetAsync("api/history?path=../../etc/passwd");
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("outside the folder synced", await outside.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RestoreBringsAnOldVersionBackAndTheDaemonCommitsIt()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("server", null)]);
        var file = Path.Combine(dashboard.Path, "notes.txt");
        await File.WriteAllTextAsync(file, "first words");
        await WaitForVersionsAsync(dashboard, "notes.txt", 1);
        await File.WriteAllTextAsync(file, "second words");
        await WaitForVersionsAsync(dashboard, "notes.txt", 2);

        var (status, body) = await dashboard.PostAsync("api/restore?path=notes.txt&version=2");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.StartsWith("restore notes.txt: version 2 (", body.GetProperty("message").GetString());
        Assert.Equal("first words", await File.ReadAllTextAsync(file));
        await WaitForVersionsAsync(dashboard, "notes.txt", 3); // committed by the daemon, as a new change
        Assert.Equal(["modified", "modified", "added"], (await VersionsAsync(dashboard, "notes.txt")).Select(v => v.GetProperty("action").GetString()));
        Assert.Contains("first words", GitCli.Run(dashboard.Path, "show", "HEAD:notes.txt"));

        foreach (var (query, says) in new[]
                 {
                     ("path=notes.txt&version=99", "there is no version 99"),
                     ("path=notes.txt&at=whenever", "'whenever'"),
                     ("path=notes.txt&version=1&at=yesterday", "not both"),
                     ("path=../outside.txt&version=1", "outside the folder synced"),
                     ("path=.git/config&version=1", "outside the folder synced"),
                     ("version=1", "name the file"),
                     ("path=never.txt&deleted=true", "nothing deleted there"),
                 })
        {
            (status, body) = await dashboard.PostAsync($"api/restore?{query}");
            Assert.True(status == HttpStatusCode.Conflict, $"{query}: {(int)status} {body}");
            Assert.False(body.GetProperty("ok").GetBoolean());
            Assert.Contains(says, body.GetProperty("message").GetString());
        }
        Assert.Equal("first words", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task RestoreOfADeletedFileBringsItBackAtItsPath()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("server", null)]);
        var file = Path.Combine(dashboard.Path, "docs", "plan.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "the plan");
        await WaitForVersionsAsync(dashboard, "docs/plan.txt", 1);
        File.Delete(file);
        await WaitForVersionsAsync(dashboard, "docs/plan.txt", 2);
        Assert.Equal("deleted", (await VersionsAsync(dashboard, "docs/plan.txt"))[0].GetProperty("action").GetString());

        var (status, body) = await dashboard.PostAsync("api/restore?deleted=true&path=docs");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Contains("restore docs/plan.txt: restored", body.GetProperty("message").GetString());
        Assert.Equal("the plan", await File.ReadAllTextAsync(file));
        await WaitForVersionsAsync(dashboard, "docs/plan.txt", 3);
    }

    [Fact]
    public async Task AConflictFromTwoNodesIsListedAndKeepingOneSyncs()
    {
        using var dir = new TempFolder();
        var conflict = await DashboardConflict.StartAsync(dir);
        await using var dashboard = conflict.Dashboard;
        var listed = Assert.Single((await dashboard.GetJsonAsync("api/conflicts")).EnumerateArray());
        Assert.Equal(2, listed.GetProperty("versions").GetArrayLength());
        Assert.All(listed.GetProperty("versions").EnumerateArray(), v => Assert.True(v.GetProperty("annexed").GetBoolean()));
        var variant = await conflict.ServersVariantAsync();

        var (status, body) = await dashboard.PostAsync("api/resolve?path=video.bin&merge=true");
        Assert.Equal(HttpStatusCode.Conflict, status); // binary: refused, nothing changes
        Assert.Contains("needs two text versions", body.GetProperty("message").GetString());
        (status, body) = await dashboard.PostAsync("api/resolve?path=video.bin");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("say how", body.GetProperty("message").GetString());
        (status, body) = await dashboard.PostAsync("api/resolve?path=video.bin&keep=nobody");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("no version of 'video.bin' is 'nobody'", body.GetProperty("message").GetString());
        (status, body) = await dashboard.PostAsync("api/resolve?path=other.bin&keep=both");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("has no conflict", body.GetProperty("message").GetString());
        Assert.Equal(2, DashboardConflict.Variants(dashboard.Path).Length + (File.Exists(Path.Combine(dashboard.Path, DashboardConflict.File)) ? 1 : 0));

        (status, body) = await dashboard.PostAsync($"api/resolve?path=video.bin&keep={Uri.EscapeDataString(variant)}");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.StartsWith($"resolve video.bin: kept {variant}", body.GetProperty("message").GetString());
        Assert.Equal(conflict.FromServer, await File.ReadAllBytesAsync(Path.Combine(dashboard.Path, DashboardConflict.File)));
        Assert.Empty(DashboardConflict.Variants(dashboard.Path));
        await Eventually.TrueAsync(async () => (await dashboard.GetJsonAsync("api/conflicts")).GetArrayLength() == 0, DashboardNode.Soon, () => "the conflict is still listed");
        var resolved = (await dashboard.GetJsonAsync("api/events/recent")).GetProperty("events").EnumerateArray().Single(e => e.GetProperty("event").GetString() == "resolved");
        Assert.Equal("keep", resolved.GetProperty("data").GetProperty("resolved").GetProperty("how").GetString());
        await conflict.AssertServerHasTheServersVersionAloneAsync();
    }

    [Fact]
    public async Task KeepBothLeavesEveryVersionUnderANameOfItsOwn()
    {
        using var dir = new TempFolder();
        var conflict = await DashboardConflict.StartAsync(dir);
        await using var dashboard = conflict.Dashboard;
        var (status, body) = await dashboard.PostAsync("api/resolve?path=video.bin&keep=both");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Contains("kept every version", body.GetProperty("message").GetString());
        Assert.Empty(DashboardConflict.Variants(dashboard.Path));
        var contents = Directory.GetFiles(dashboard.Path, "video*").Select(f => File.ReadAllBytes(f).Length).Order().ToList();
        Assert.Equal([conflict.FromLocal.Length, conflict.FromServer.Length], contents);
        await Eventually.TrueAsync(async () => (await dashboard.GetJsonAsync("api/conflicts")).GetArrayLength() == 0, DashboardNode.Soon, () => "the conflict is still listed");
    }

    [Fact]
    public async Task MergeOfTwoTextsChangedOnDifferentLinesIsCleanAndSyncs()
    {
        using var dir = new TempFolder();
        var conflict = await DashboardConflict.StartTextAsync(dir);
        await using var dashboard = conflict.Dashboard;
        Assert.Equal(2, Assert.Single((await dashboard.GetJsonAsync("api/conflicts")).EnumerateArray()).GetProperty("versions").GetArrayLength());
        var (status, body) = await dashboard.PostAsync("api/resolve?path=notes.md&merge=true");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.StartsWith("resolve notes.md: merged cleanly", body.GetProperty("message").GetString());
        const string merged = "ONE by local\ntwo\nthree\nfour\nFIVE by server\n";
        Assert.Equal(merged, await File.ReadAllTextAsync(Path.Combine(dashboard.Path, DashboardConflict.Text)));
        Assert.Empty(DashboardConflict.Variants(dashboard.Path));
        await Eventually.TrueAsync(async () => (await dashboard.GetJsonAsync("api/conflicts")).GetArrayLength() == 0, DashboardNode.Soon, () => "the conflict is still listed");
        await Eventually.TrueAsync(async () =>
        {
            Assert.Equal(0, (await CliRunner.RunAsync(conflict.Server, "sync")).ExitCode);
            var there = Path.Combine(conflict.Server, DashboardConflict.Text);
            return DashboardConflict.Variants(conflict.Server).Length == 0 && File.Exists(there) && await File.ReadAllTextAsync(there) == merged;
        }, DashboardNode.Soon, () => "the merge did not reach the server");
    }
}
