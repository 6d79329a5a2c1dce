using Xunit;
using System.Net;
using System.Text.Json;
using Tether.Tests.Support;

namespace Tether.Tests.Web;

/// <summary>One real daemon with two remotes and a hook, shared by the API tests that do not change what it syncs.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public TempFolder Dir { get; } = new();
    public DashboardNode Dashboard { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dashboard = await DashboardNode.StartAsync(Dir, [("server", null), ("backup", null)],
            "  - name: note\n    events: [commit]\n    command: [\"sh\", \"-c\", \"echo committed\"]\n");
        await File.WriteAllTextAsync(Path.Combine(Dashboard.Path, "hello.txt"), "hello");
        await Eventually.TrueAsync(async () => (await Dashboard.GetJsonAsync("api/hooks")).GetProperty("runs").GetArrayLength() > 0, DashboardNode.Soon, () => "no hook run");
    }

    public async Task DisposeAsync()
    {
        await Dashboard.DisposeAsync();
        Dir.Dispose();
    }
}

/// <summary>The REST API against a real daemon and real Kestrel on loopback: every endpoint, and the guard in front of them.</summary>
public sealed class DashboardApiTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private DashboardNode Dashboard => fixture.Dashboard;

    /// <summary>Every path and method the API has, as the OpenAPI document generated from the code lists them.</summary>
    private static readonly (string Method, string Path)[] Endpoints =
    [
        ("GET", "/api/status"), ("POST", "/api/poke"), ("POST", "/api/remotes/{name}/poke"),
        ("GET", "/api/transfers"), ("POST", "/api/transfers/pause"), ("POST", "/api/transfers/resume"),
        ("POST", "/api/transfers/{id}/pause"), ("POST", "/api/transfers/{id}/resume"),
        ("POST", "/api/remotes/{name}/transfers/pause"), ("POST", "/api/remotes/{name}/transfers/resume"),
        ("POST", "/api/transfers/{id}/cancel"), ("POST", "/api/transfers/{id}/first"),
        ("POST", "/api/remotes/{name}/transfers/cancel"), ("POST", "/api/remotes/{name}/transfers/first"),
        ("GET", "/api/map.svg"), ("GET", "/api/config"), ("GET", "/api/log"), ("GET", "/api/hooks"),
        ("GET", "/api/events/recent"), ("GET", "/api/events"),
        ("GET", "/api/history"), ("POST", "/api/restore"), ("GET", "/api/conflicts"), ("POST", "/api/resolve"),
    ];

    [Fact]
    public async Task TheOpenApiDocumentListsEveryEndpointWithItsMethod()
    {
        var document = await Dashboard.GetJsonAsync("api/openapi.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var listed = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (m.Name.ToUpperInvariant(), p.Name))).Order().ToList();
        Assert.Equal(Endpoints.Order().ToList(), listed);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
            Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), $"{operation.Name} {path.Name} has no summary");
    }

    [Fact]
    public async Task StatusAndTransfersAreTheDaemonsOwnAsTheCliShowsThem()
    {
        var status = await Dashboard.GetJsonAsync("api/status");
        Assert.True(status.GetProperty("running").GetBoolean());
        Assert.Equal(Dashboard.Node.Daemon.Id, status.GetProperty("pid").GetInt32());
        Assert.Equal(["backup", "server"], status.GetProperty("remotes").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList());
        var cli = await CliRunner.RunAsync(Dashboard.Path, "status", "--json");
        using var fromCli = JsonDocument.Parse(cli.Out);
        Assert.Equal(fromCli.RootElement.GetProperty("pid").GetInt32(), status.GetProperty("pid").GetInt32());
        Assert.Equal(fromCli.RootElement.GetProperty("remotes").GetArrayLength(), status.GetProperty("remotes").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, (await Dashboard.GetJsonAsync("api/transfers")).ValueKind);
    }

    [Fact]
    public async Task ConfigLogHooksMapAndRecentEventsAnswer()
    {
        var config = await Dashboard.GetJsonAsync("api/config");
        Assert.Contains("- name: server", config.GetProperty("yaml").GetString());
        Assert.Contains("web:", config.GetProperty("yaml").GetString());
        var log = await Dashboard.GetJsonAsync("api/log?lines=5");
        Assert.InRange(log.GetProperty("lines").GetArrayLength(), 1, 5);
        Assert.EndsWith("daemon.log", log.GetProperty("path").GetString());
        var hooks = await Dashboard.GetJsonAsync("api/hooks");
        Assert.Equal("note", hooks.GetProperty("hooks")[0].GetProperty("name").GetString());
        var run = hooks.GetProperty("runs")[0];
        Assert.Equal("commit", run.GetProperty("event").GetString());
        Assert.True(run.GetProperty("succeeded").GetBoolean());
        Assert.Contains("committed", run.GetProperty("output").GetString());
        using var map = await Dashboard.Client.GetAsync("api/map.svg");
        Assert.Equal(HttpStatusCode.OK, map.StatusCode);
        Assert.Equal("image/svg+xml", map.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await map.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'none'", map.Headers.GetValues("Content-Security-Policy").Single());
        var recent = await Dashboard.GetJsonAsync("api/events/recent");
        var commit = recent.GetProperty("events").EnumerateArray().First(e => e.GetProperty("event").GetString() == "commit");
        Assert.Equal("commit", commit.GetProperty("data").GetProperty("event").GetString());
        var after = await Dashboard.GetJsonAsync($"api/events/recent?after={commit.GetProperty("id").GetString()}");
        Assert.DoesNotContain(after.GetProperty("events").EnumerateArray(), e => e.GetProperty("id").GetString() == commit.GetProperty("id").GetString());
    }

    [Fact]
    public async Task AConfigErrorIsShownWithItsLineAndTheDaemonKeepsItsSettings()
    {
        var path = DashboardNode.ConfigPath(Dashboard.Path);
        var good = await File.ReadAllTextAsync(path);
        try
        {
            Assert.Contains("  slots: 2\n", good);
            await File.WriteAllTextAsync(path, good.Replace("  slots: 2\n", "  slots: many\n"));
            var config = await Dashboard.GetJsonAsync("api/config");
            var error = config.GetProperty("error");
            Assert.Equal(path, error.GetProperty("file").GetString());
            Assert.True(error.GetProperty("line").GetInt32() > 1);
            Assert.Equal("transfers.slots", error.GetProperty("key_path").GetString());
            Assert.False(config.TryGetProperty("yaml", out _));
            Assert.Contains("remote server:", (await CliRunner.RunAsync(Dashboard.Path, "status")).Out); // the daemon goes on with what it loaded
        }
        finally { await File.WriteAllTextAsync(path, good); }
    }

    [Fact]
    public async Task PauseAndResumeReachTheDaemonAndTheCliSeesIt()
    {
        var (status, body) = await Dashboard.PostAsync("api/transfers/pause");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.True((await Dashboard.GetJsonAsync("api/status")).GetProperty("transfers_paused").GetBoolean());
        Assert.Contains("transfers paused", (await CliRunner.RunAsync(Dashboard.Path, "status")).Out);
        (status, _) = await Dashboard.PostAsync("api/transfers/resume");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False((await Dashboard.GetJsonAsync("api/status")).GetProperty("transfers_paused").GetBoolean());
        Assert.DoesNotContain("transfers paused", (await CliRunner.RunAsync(Dashboard.Path, "status")).Out);
    }

    [Fact]
    public async Task PausingOneTransferOrRemoteAndResumingItAnswerAsTheCliDoes()
    {
        var (status, body) = await Dashboard.PostAsync("api/remotes/backup/transfers/pause");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("paused the transfers with backup", body.GetProperty("message").GetString());
        Assert.False((await Dashboard.GetJsonAsync("api/status")).GetProperty("transfers_paused").GetBoolean()); // only that remote
        (status, body) = await Dashboard.PostAsync("api/remotes/backup/transfers/resume");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("resumed the transfers with backup", body.GetProperty("message").GetString());
        (status, body) = await Dashboard.PostAsync("api/remotes/backup/transfers/resume");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("was not paused", body.GetProperty("message").GetString());
        (status, _) = await Dashboard.PostAsync("api/transfers/0000dead/pause");
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await Dashboard.PostAsync("api/transfers/0000dead/resume");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task PokeCancelAndFirstAnswerAsTheCliDoes()
    {
        var (status, body) = await Dashboard.PostAsync("api/poke");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("syncing with every remote", body.GetProperty("message").GetString());
        (status, body) = await Dashboard.PostAsync("api/remotes/server/poke");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("syncing with server", body.GetProperty("message").GetString());
        (status, body) = await Dashboard.PostAsync("api/remotes/nowhere/poke");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("no remote named 'nowhere'", body.GetProperty("message").GetString());
        foreach (var path in new[] { "api/transfers/0000dead/cancel", "api/transfers/0000dead/first", "api/remotes/server/transfers/cancel", "api/remotes/server/transfers/first" })
        {
            (status, body) = await Dashboard.PostAsync(path);
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.False(body.GetProperty("ok").GetBoolean());
            Assert.StartsWith("no queued", body.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task NoOperationRunsByGet()
    {
        foreach (var (method, path) in Endpoints.Where(e => e.Method == "POST"))
        {
            using var response = await Dashboard.Client.GetAsync(Concrete(path)[1..]);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
        Assert.False((await Dashboard.GetJsonAsync("api/status")).GetProperty("transfers_paused").GetBoolean());
    }

    [Fact]
    public async Task EveryEndpointAndPageIs401WithoutTheTokenOrWithAWrongOne()
    {
        foreach (var (method, path) in Endpoints.Append(("GET", "/")).Append(("GET", "/assets/app.js")).Append(("GET", "/api/openapi.json")))
        foreach (var token in new string?[] { null, "wrong", Dashboard.Token[..^1] + (Dashboard.Token[^1] == 'A' ? 'B' : 'A') })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(path)[1..]);
            if (token is not null) request.Headers.Authorization = new("Bearer", token);
            using var response = await Dashboard.Anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with token '{token}': {(int)response.StatusCode}");
        }
        Assert.False((await Dashboard.GetJsonAsync("api/status")).GetProperty("transfers_paused").GetBoolean()); // the POSTs did nothing
    }

    [Theory]
    [InlineData("Host", "evil.example:{port}")]
    [InlineData("Host", "127.0.0.1.nip.io:{port}")]
    [InlineData("Host", "127.0.0.1:1")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "http://127.0.0.1:1")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task AWrongHostOrOriginIs403EvenWithTheToken(string header, string value)
    {
        value = value.Replace("{port}", Dashboard.Url.Port.ToString());
        foreach (var (method, path) in Endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(path)[1..]);
            request.Headers.Authorization = new("Bearer", Dashboard.Token);
            if (header == "Host") request.Headers.Host = value;
            else request.Headers.TryAddWithoutValidation(header, value);
            using var response = await Dashboard.Anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} with {header}: {value}: {(int)response.StatusCode}");
        }
        Assert.False((await Dashboard.GetJsonAsync("api/status")).GetProperty("transfers_paused").GetBoolean());
    }

    [Fact]
    public async Task TheTokenInTheFirstUrlBecomesAStrictHttpOnlyCookieAndLeavesTheAddress()
    {
        using var first = await Dashboard.Anonymous.GetAsync($"/?token={Dashboard.Token}");
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal("/", first.Headers.Location?.OriginalString);
        var cookie = first.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var page = await Dashboard.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("/assets/app.js", await page.Content.ReadAsStringAsync());
        using var wrong = await Dashboard.Anonymous.GetAsync("/?token=wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public void TheTokenFileIsTheOwnersAlone()
    {
        var path = Path.Combine(Dashboard.Path, ".git", "tether", Tether.Web.Security.AccessToken.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Dashboard.Path, ".git", "tether", "web.json")));
        Assert.DoesNotContain(Dashboard.Token, File.ReadAllText(Path.Combine(Dashboard.Path, ".git", "tether", "web.json")));
    }

    [Fact]
    public async Task TetherOpenUrlPrintsAUrlThatSignsIn()
    {
        var result = await CliRunner.RunAsync(Dashboard.Path, "open", "--url");
        Assert.True(result.ExitCode == 0, result.ToString());
        var url = result.Out.Trim();
        Assert.StartsWith(Dashboard.Url.ToString(), url);
        using var response = await Dashboard.Anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.True(response.Headers.Contains("Set-Cookie"));
    }

    private static string Concrete(string path) => path.Replace("{name}", "server").Replace("{id}", "0000dead");
}
