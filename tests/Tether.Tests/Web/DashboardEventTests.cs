using Xunit;
using System.Text.Json;
using Tether.Tests.Support;

namespace Tether.Tests.Web;

/// <summary>The event stream of a real daemon: the hooks' JSON, in order, with ids; a reconnect misses nothing.</summary>
public sealed class DashboardEventTests
{
    private static string? Remote(EventStreamReader.Message m) =>
        m.Data.GetProperty("remote").ValueKind == JsonValueKind.Object ? m.Data.GetProperty("remote").GetProperty("name").GetString() : null;

    private static string? Phase(EventStreamReader.Message m) =>
        m.Data.GetProperty("transfer").ValueKind == JsonValueKind.Object ? m.Data.GetProperty("transfer").GetProperty("phase").GetString() : null;

    [Fact]
    public async Task TheStreamCarriesCommitPushAndTransferEventsInOrder()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("server", null)]);
        await using var stream = await EventStreamReader.OpenAsync(dashboard.Client);
        var data = new byte[3 << 20];
        new Random(7).NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(dashboard.Path, "big.bin"), data);

        await stream.WaitForAsync(m => m.Event == "transfer" && Phase(m) == "finished", DashboardNode.Soon, "finished upload");
        await stream.WaitForAsync(m => m.Event == "push" && Remote(m) == "server", DashboardNode.Soon, "push after the upload");
        var seen = stream.Seen;
        int Index(Func<EventStreamReader.Message, bool> p) => seen.FindIndex(m => p(m));
        var change = Index(m => m.Event == "change" && m.Data.GetProperty("change").GetProperty("added").EnumerateArray().Any(a => a.GetString() == "big.bin"));
        var commit = Index(m => m.Event == "commit");
        var push = seen.FindIndex(commit + 1, m => m.Event == "push" && Remote(m) == "server");
        var started = Index(m => m.Event == "transfer" && Phase(m) == "started");
        var finished = Index(m => m.Event == "transfer" && Phase(m) == "finished");
        Assert.True(change >= 0 && change < commit && commit < push && commit < started && started < finished, string.Join(", ", seen.Select(m => $"{m.Id} {m.Event}")));
        Assert.Equal("big.bin", seen[finished].Data.GetProperty("transfer").GetProperty("file").GetString());
        Assert.Equal("upload", seen[finished].Data.GetProperty("transfer").GetProperty("direction").GetString());
        // Ids count up by one: nothing was skipped between them.
        var numbers = seen.Select(m => long.Parse(m.Id!.Split('-')[1])).ToList();
        Assert.Equal(Enumerable.Range((int)numbers[0], numbers.Count).Select(n => (long)n), numbers);
        Assert.All(seen, m => Assert.Equal(m.Event, m.Data.GetProperty("event").GetString()));
        Assert.All(seen, m => Assert.Equal(dashboard.Path, m.Data.GetProperty("repo").GetString()));
    }

    [Fact]
    public async Task AClientThatReconnectsWithTheLastIdMissesNothing()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("server", null)]);
        string lastId;
        await using (var first = await EventStreamReader.OpenAsync(dashboard.Client))
        {
            await File.WriteAllTextAsync(Path.Combine(dashboard.Path, "one.txt"), "1");
            lastId = (await first.WaitForAsync(m => m.Event == "commit", DashboardNode.Soon, "first commit")).Id!;
        }
        // Away: two more commits happen, then the client comes back with the last id it saw.
        await File.WriteAllTextAsync(Path.Combine(dashboard.Path, "two.txt"), "2");
        await Eventually.TrueAsync(async () => Commits(await dashboard.GetJsonAsync($"api/events/recent?after={lastId}")) >= 1, DashboardNode.Soon, () => "second commit");
        await File.WriteAllTextAsync(Path.Combine(dashboard.Path, "three.txt"), "3");
        await Eventually.TrueAsync(async () => Commits(await dashboard.GetJsonAsync($"api/events/recent?after={lastId}")) >= 2, DashboardNode.Soon, () => "third commit");
        var missed = (await dashboard.GetJsonAsync($"api/events/recent?after={lastId}")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();

        await using var again = await EventStreamReader.OpenAsync(dashboard.Client, lastId);
        await again.WaitForAsync(m => m.Id == missed[^1], DashboardNode.Soon, "the last missed event");
        Assert.Equal(missed, again.Seen.Select(m => m.Id).ToList()); // exactly what was missed: nothing lost, nothing twice, no gap
        Assert.Contains(again.Seen, m => m.Event == "change" && m.Data.GetProperty("change").GetProperty("added")[0].GetString() == "three.txt");
    }

    [Fact]
    public async Task AnIdFromAnEarlierDaemonRunIsReportedAsAGap()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, []);
        await using var stream = await EventStreamReader.OpenAsync(dashboard.Client, "0badf00d-12");
        var gap = await stream.WaitForAsync(_ => true, DashboardNode.Soon, "gap");
        Assert.Equal("gap", gap.Event);
        Assert.Equal("restart", gap.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task WebOffServesNoDashboard()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "local")).ExitCode);
        var local = dir.Combine("local");
        DashboardNode.EditConfig(local, text => System.Text.RegularExpressions.Regex.Replace(text, @"^web:\n(  .*\n)*", "web: off\n", System.Text.RegularExpressions.RegexOptions.Multiline));
        using var node = await WatchingNode.StartAsync(local, environment: null);
        Assert.False(File.Exists(Path.Combine(local, ".git", "tether", "web.json")));
        var open = await CliRunner.RunAsync(local, "open", "--url");
        Assert.Equal(3, open.ExitCode);
        Assert.Contains("serves no dashboard", open.Error);
        Assert.Contains("web: off", (await CliRunner.RunAsync(local, "config", "check")).Out);
        await node.StopAsync();
    }

    private static int Commits(JsonElement page) => page.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("event").GetString() == "commit");
}
