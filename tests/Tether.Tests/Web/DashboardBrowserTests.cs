using Xunit;
using System.Text.Json;
using Tether.Tests.Support;

namespace Tether.Tests.Web;

/// <summary>
/// The dashboard in a real headless Chromium against a real daemon: what a user sees and clicks. Each test keeps
/// screenshots as artefacts (<see cref="HeadlessChromium.ArtefactFolder"/>). One at a time: a browser and a 200 MB
/// transfer are heavy for the machine.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class DashboardBrowserTests
{
    private static async Task<string> SignInUrlAsync(DashboardNode dashboard)
    {
        var open = await CliRunner.RunAsync(dashboard.Path, "open", "--url");
        Assert.True(open.ExitCode == 0, open.ToString());
        return open.Out.Trim();
    }

    private static void NoScriptProblems(HeadlessChromium browser) =>
        Assert.True(browser.Problems.IsEmpty, string.Join("\n", browser.Problems));

    [Fact]
    public async Task TheOverviewShowsBothRemotesAndEveryPageRenders()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("server", null), ("backup", null)]);
        await File.WriteAllTextAsync(Path.Combine(dashboard.Path, "notes.txt"), "hello");
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(await SignInUrlAsync(dashboard));

        Assert.Equal(dashboard.Url.ToString() + "#/overview", (await browser.EvaluateAsync("location.href.replace(/#.*$/, '') + '#/overview'"))!.GetValue<string>());
        Assert.DoesNotContain("token", (await browser.EvaluateAsync("location.href"))!.GetValue<string>()); // it left the address bar
        await browser.WaitForAsync("document.querySelectorAll('#remotes [data-remote]').length === 2", "both remotes");
        var names = (await browser.EvaluateAsync("[...document.querySelectorAll('#remotes [data-remote]')].map(e => e.dataset.remote).join(',')"))!.GetValue<string>();
        Assert.Equal("backup,server", names);
        await browser.WaitForAsync("[...document.querySelectorAll('#remotes [data-field=reachable]')].every(e => e.textContent === 'reachable')", "both remotes reached");
        await browser.ScreenshotAsync("overview");

        foreach (var (page, ready) in new[]
                 {
                     ("transfers", "document.querySelector('#queue-state')"),
                     ("changes", "document.querySelector('#history-rows [data-path=\"notes.txt\"]')"),
                     ("conflicts", "document.querySelector('#no-conflicts')"),
                     ("map", "document.querySelector('#map img')?.complete && document.querySelector('#map img').naturalWidth > 0"),
                     ("config", "document.querySelector('#config-yaml')?.textContent.includes('name: server')"),
                     ("log", "document.querySelector('#log-lines')?.textContent.includes('Watching')"),
                     ("hooks", "document.querySelector('#hook-runs')"),
                     ("events", "document.querySelector('#event-rows [data-event=commit]')"),
                 })
        {
            await browser.ClickAsync($"nav a[data-page={page}]");
            await browser.WaitForAsync($"document.getElementById('page').dataset.page === '{page}' && ({ready})", $"the {page} page");
            await browser.ScreenshotAsync(page);
        }
        NoScriptProblems(browser);
    }

    [Fact]
    public async Task ABigTransferShowsAMovingBarAndPausesAndResumesFromThePage()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("slow", "20MiB/s")]);
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(await SignInUrlAsync(dashboard) + "#/transfers");
        await browser.NavigateAsync(dashboard.Url + "#/transfers");
        await browser.WaitForAsync("document.querySelector('#queue-state')?.textContent === 'running'", "the transfers page");

        await using (var file = new FileStream(Path.Combine(dashboard.Path, "movie.bin"), FileMode.CreateNew))
        {
            var block = new byte[1 << 20];
            var random = new Random(11);
            for (int i = 0; i < 200; i++) { random.NextBytes(block); await file.WriteAsync(block); }
        }
        const string bar = "document.querySelector('#transfer-rows [data-state=running] progress')";
        await browser.WaitForAsync($"{bar} && {bar}.value > 0", "a running transfer with progress", TimeSpan.FromSeconds(60));
        var first = (await browser.EvaluateAsync($"{bar}.value"))!.GetValue<double>();
        await browser.WaitForAsync($"{bar} && {bar}.value > {first}", "the bar to move");
        Assert.Equal(200 << 20, (await browser.EvaluateAsync($"{bar}.max"))!.GetValue<double>());
        await browser.ScreenshotAsync("transfer-moving");

        await browser.ClickAsync("button[data-action='transfers/pause']");
        await browser.WaitForAsync("document.querySelector('#queue-state')?.textContent === 'paused'", "the page to show paused");
        await Eventually.TrueAsync(async () =>
        {
            var transfers = await dashboard.CliTransfersAsync(); // the terminal's view agrees
            return transfers.GetArrayLength() == 1 && !transfers[0].GetProperty("running").GetBoolean();
        }, DashboardNode.Soon, () => "tether transfers shows no paused transfer");
        Assert.Contains("transfers paused", (await CliRunner.RunAsync(dashboard.Path, "status")).Out);
        await browser.WaitForAsync("document.querySelector('#transfer-rows [data-state=paused]')", "the transfer back in the queue, paused");
        await browser.ScreenshotAsync("transfer-paused");

        await browser.ClickAsync("button[data-action='transfers/resume']");
        await browser.WaitForAsync("document.querySelector('#queue-state')?.textContent === 'running'", "the page to show running");
        await Eventually.TrueAsync(async () => (await dashboard.CliTransfersAsync()).GetArrayLength() == 0, TimeSpan.FromSeconds(90), () => "the transfer did not finish");
        var finished = (await dashboard.GetJsonAsync("api/events/recent")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("event").GetString() == "transfer" && e.GetProperty("data").GetProperty("transfer").GetProperty("file").GetString() == "movie.bin")
            .Select(e => e.GetProperty("data").GetProperty("transfer").GetProperty("phase").GetString()).ToList();
        Assert.Equal("finished", finished[^1]);
        await browser.WaitForAsync("document.querySelector('#transfer-rows')?.textContent.includes('Nothing queued')", "the finished transfer gone from the page");
        await browser.ScreenshotAsync("transfer-finished");
        NoScriptProblems(browser);
    }

    [Fact]
    public async Task AHostileFileNameIsShownAsText()
    {
        const string hostile = "<img src=x onerror=\"window.pwned=1\"><b>bold<b> &amp; &lt;.txt"; // no slash: it is a file name
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("server", null)]);
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(await SignInUrlAsync(dashboard) + "#/events");
        await browser.NavigateAsync(dashboard.Url + "#/events");
        await browser.WaitForAsync("document.getElementById('page').dataset.page === 'events'", "the events page");
        await File.WriteAllTextAsync(Path.Combine(dashboard.Path, hostile), "x");
        await browser.WaitForAsync("document.querySelector('#event-rows [data-event=change]')", "the change event");
        var shown = (await browser.EvaluateAsync("document.querySelector('#event-rows [data-event=change]').textContent"))!.GetValue<string>();
        Assert.Contains(hostile, shown);
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#page img, #page b').length"))!.GetValue<int>());
        Assert.Null(await browser.EvaluateAsync("window.pwned"));
        await browser.ScreenshotAsync("hostile-name");
        await browser.ClickAsync("nav a[data-page=changes]");
        await browser.WaitForAsync("document.querySelector('#history-rows td.file a')", "the change on the changes page");
        Assert.Equal(hostile, (await browser.EvaluateAsync("document.querySelector('#history-rows td.file a').textContent"))!.GetValue<string>());
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('#page img, #page b').length"))!.GetValue<int>());
        Assert.Null(await browser.EvaluateAsync("window.pwned"));
        NoScriptProblems(browser);
    }

    [Fact]
    public async Task AConflictMadeOnTwoNodesAppearsAndIsResolvedFromThePage()
    {
        using var dir = new TempFolder();
        var conflict = await DashboardConflict.StartAsync(dir);
        await using var dashboard = conflict.Dashboard;
        var variant = await conflict.ServersVariantAsync();
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(await SignInUrlAsync(dashboard) + "#/conflicts");
        await browser.NavigateAsync(dashboard.Url + "#/conflicts");
        await browser.WaitForAsync("document.querySelectorAll('#conflict-list [data-conflict=\"video.bin\"] [data-variant]').length === 2", "the conflict with its two versions");
        Assert.NotNull(await browser.EvaluateAsync("document.querySelector('#conflict-list button[data-action=\"resolve?path=video.bin&keep=both\"]')?.textContent"));
        await browser.ScreenshotAsync("conflict-listed");

        await browser.ClickAsync($"#conflict-list [data-variant=\"{variant}\"] button");
        await browser.WaitForAsync("document.querySelector('#page .message')?.textContent.startsWith('resolve video.bin: kept')", "the daemon's answer on the page");
        Assert.Equal(conflict.FromServer, await File.ReadAllBytesAsync(Path.Combine(dashboard.Path, DashboardConflict.File)));
        Assert.Empty(DashboardConflict.Variants(dashboard.Path));
        await browser.WaitForAsync("document.querySelector('#no-conflicts')", "the page to show no conflict");
        Assert.Equal(0, (await dashboard.GetJsonAsync("api/conflicts")).GetArrayLength());
        Assert.Equal("no conflicts", (await CliRunner.RunAsync(dashboard.Path, "conflicts")).Out.Trim());
        await browser.ScreenshotAsync("conflict-resolved");
        await conflict.AssertServerHasTheServersVersionAloneAsync();
        NoScriptProblems(browser);
    }

    [Fact]
    public async Task AnOldVersionIsRestoredFromTheChangesPage()
    {
        using var dir = new TempFolder();
        await using var dashboard = await DashboardNode.StartAsync(dir, [("server", null)]);
        var file = Path.Combine(dashboard.Path, "notes.txt");
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(await SignInUrlAsync(dashboard) + "#/changes");
        await browser.NavigateAsync(dashboard.Url + "#/changes");
        await browser.WaitForAsync("document.getElementById('page').dataset.page === 'changes'", "the changes page");
        await File.WriteAllTextAsync(file, "first words");
        await browser.WaitForAsync("document.querySelectorAll('#history-rows [data-path=\"notes.txt\"]').length === 1", "the first version, as the daemon commits it");
        await File.WriteAllTextAsync(Path.Combine(dashboard.Path, "other.txt"), "between"); // the folder's numbers are not notes.txt's
        await browser.WaitForAsync("document.querySelector('#history-rows [data-path=\"other.txt\"]')", "the other file");
        await File.WriteAllTextAsync(file, "second words");
        await browser.WaitForAsync("document.querySelectorAll('#history-rows [data-path=\"notes.txt\"]').length === 2", "the second version");

        // In the folder's list: the older row's button restores it (its number found in the file's own history).
        Assert.Equal("3", (await browser.EvaluateAsync("document.querySelector('#history-rows [data-path=\"notes.txt\"][data-action=added]').dataset.version"))!.GetValue<string>());
        await browser.ClickAsync("#history-rows [data-path=\"notes.txt\"][data-action=added] button[data-action=restore]");
        await browser.WaitForAsync("document.querySelector('#page .message')?.textContent.startsWith('restore notes.txt: version 2')", "the daemon's answer on the page");
        Assert.Equal("first words", await File.ReadAllTextAsync(file));
        await browser.WaitForAsync("document.querySelectorAll('#history-rows [data-path=\"notes.txt\"]').length === 3", "the restore committed by the daemon");
        await browser.ScreenshotAsync("changes-restored");

        // One file's versions: its newest has no button (it is what is there), the others do.
        await browser.ClickAsync("#history-rows [data-path=\"notes.txt\"] a");
        await browser.WaitForAsync("document.querySelector('#page h2')?.textContent === 'Versions of notes.txt'", "the file's versions");
        await browser.WaitForAsync("!document.querySelector('#history-rows [data-version=\"1\"] button') && document.querySelector('#history-rows [data-version=\"2\"] button')", "buttons on the older versions");
        await browser.EvaluateAsync("document.querySelector('#page .message').textContent = ''");
        await browser.ClickAsync("#history-rows [data-version=\"2\"] button[data-action=restore]");
        await browser.WaitForAsync("document.querySelector('#page .message')?.textContent.startsWith('restore notes.txt: version 2')", "the second restore's answer");
        Assert.Equal("second words", await File.ReadAllTextAsync(file));
        await browser.WaitForAsync("document.querySelectorAll('#history-rows tr[data-version]').length === 4", "the second restore committed");
        await browser.ScreenshotAsync("changes-file-versions");
        NoScriptProblems(browser);
    }

    [Fact]
    public async Task TwoTextsInConflictAreMergedFromThePage()
    {
        using var dir = new TempFolder();
        var conflict = await DashboardConflict.StartTextAsync(dir);
        await using var dashboard = conflict.Dashboard;
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(await SignInUrlAsync(dashboard) + "#/conflicts");
        await browser.NavigateAsync(dashboard.Url + "#/conflicts");
        await browser.WaitForAsync("document.querySelector('#conflict-list [data-conflict=\"notes.md\"]')", "the text conflict");
        await browser.ClickAsync("#conflict-list button[data-action=\"resolve?path=notes.md&merge=true\"]");
        await browser.WaitForAsync("document.querySelector('#page .message')?.textContent.startsWith('resolve notes.md: merged cleanly')", "the daemon's answer on the page");
        Assert.Equal("ONE by local\ntwo\nthree\nfour\nFIVE by server\n", await File.ReadAllTextAsync(Path.Combine(dashboard.Path, DashboardConflict.Text)));
        await browser.WaitForAsync("document.querySelector('#no-conflicts')", "the page to show no conflict");
        await browser.ScreenshotAsync("conflict-merged");
        NoScriptProblems(browser);
    }
}
