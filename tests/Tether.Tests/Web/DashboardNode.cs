using Xunit;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tether.Tests.Support;
using Tether.Web.Hosting;
using Tether.Web.Security;

namespace Tether.Tests.Web;

/// <summary>
/// A real `tether watch` on "local" with real remotes (tether repositories beside it, optionally bandwidth-limited),
/// and an HTTP client for its dashboard on loopback holding the token.
/// </summary>
public sealed class DashboardNode : IAsyncDisposable
{
    public static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    private DashboardNode(string path, WatchingNode node, Uri url, string token)
    {
        Path = path;
        Node = node;
        Url = url;
        Token = token;
        Client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Path { get; }
    public WatchingNode Node { get; }
    public Uri Url { get; }
    public string Token { get; }

    /// <summary>Sends the token on every request.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends nothing it is not told to (no token, no cookies, no redirects followed).</summary>
    public HttpClient Anonymous { get; }

    /// <param name="remotes">Each remote's name and bandwidth limit (null: none).</param>
    /// <param name="hooks">The items of local's hooks: section (YAML, indented by two).</param>
    /// <param name="prepare">Runs with local's path once the repositories are made, before `tether watch` starts.</param>
    public static async Task<DashboardNode> StartAsync(TempFolder dir, (string Name, string? Rate)[] remotes, string hooks = "", Func<string, Task>? prepare = null)
    {
        var local = dir.Combine("local");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "local")).ExitCode);
        foreach (var (name, rate) in remotes)
        {
            Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", name)).ExitCode);
            Assert.Equal(0, (await CliRunner.RunAsync(local, "remote", "add", name, dir.Combine(name))).ExitCode);
            if (rate is not null) Limit(local, name, rate);
        }
        if (hooks.Length > 0) EditConfig(local, text => Regex.Replace(text, "^hooks:\n", "hooks:\n" + hooks, RegexOptions.Multiline));
        if (prepare is not null) await prepare(local);
        var node = await WatchingNode.StartAsync(local, environment: null);
        var stateDir = System.IO.Path.Combine(local, ".git", "tether");
        DashboardAddress? address = null;
        await Eventually.TrueAsync(() => (address = DashboardAddress.Read(stateDir)) is not null, Soon, () => node.Daemon.Describe());
        var token = AccessToken.Read(AccessToken.PathIn(stateDir))!;
        return new DashboardNode(local, node, new Uri(address!.Url), token);
    }

    public static string ConfigPath(string repo) => System.IO.Path.Combine(repo, ".tether", "config.yml");

    public static void EditConfig(string repo, Func<string, string> edit)
    {
        var path = ConfigPath(repo);
        var before = File.ReadAllText(path);
        var after = edit(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }

    private static void Limit(string repo, string remote, string rate)
    {
        var config = ConfigPath(repo);
        var limited = Regex.Replace(File.ReadAllText(config), $@"(- name: {remote}\n(\s+)url: .*\n)", $"$1$2bandwidth_limit: {rate}\n");
        Assert.Contains($"bandwidth_limit: {rate}", limited);
        File.WriteAllText(config, limited);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path)
    {
        using var response = await Client.PostAsync(path, null);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>What `tether transfers --json` says: the terminal's view, to compare with the page's.</summary>
    public async Task<JsonElement> CliTransfersAsync()
    {
        var result = await CliRunner.RunAsync(Path, "transfers", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        if (!Node.Daemon.HasExited) await Node.StopAsync();
        Node.Dispose();
    }
}
