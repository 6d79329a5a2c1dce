using Xunit;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.Tests.Support;

namespace Tether.Tests.Web;

/// <summary>
/// Debian's real Chromium (/usr/bin/chromium), headless, driven over the Chrome DevTools protocol on a loopback
/// WebSocket: navigate, evaluate, click with real mouse events, screenshot. Script exceptions and console errors (a
/// Content-Security-Policy violation among them) are collected, so a test can require that there were none.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Program = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly TempFolder _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    /// <summary>Uncaught exceptions and console errors the page raised.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>Where screenshots go: test artefacts, kept after the run (TETHER_TEST_ARTEFACTS, else artefacts/web next to the tests).</summary>
    public static string ArtefactFolder { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("TETHER_TEST_ARTEFACTS") is { Length: > 0 } root
            ? Path.Combine(root, "web") : Path.Combine(AppContext.BaseDirectory, "artefacts", "web")).FullName;

    private HeadlessChromium(Process process, TempFolder profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        Assert.True(File.Exists(Program), $"{Program} is missing: install Debian's chromium package (./run-tests does)");
        var profile = new TempFolder();
        var psi = new ProcessStartInfo(Program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-sync",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile.Path}",
                     "--window-size=1280,900", "about:blank" })
            psi.ArgumentList.Add(arg);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try { await browser.ConnectAsync(); }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
        return browser;
    }

    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile.Path, "DevToolsActivePort");
        await Eventually.TrueAsync(() => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2, TimeSpan.FromSeconds(30), () => "chromium wrote no DevToolsActivePort");
        var port = int.Parse(File.ReadAllLines(portFile)[0]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string? pageSocket = null;
        await Eventually.TrueAsync(async () =>
        {
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            pageSocket = targets.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            return pageSocket is not null;
        }, TimeSpan.FromSeconds(30), () => "no page target");
        await _socket.ConnectAsync(new Uri(pageSocket!), _stop.Token);
        _receiving = ReceiveAsync();
        await SendAsync("Page.enable");
        await SendAsync("Runtime.enable");
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = 1280, ["height"] = 900, ["deviceScaleFactor"] = 1, ["mobile"] = false });
    }

    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _sending.WaitAsync();
        try { await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token); }
        finally { _sending.Release(); }
        var reply = await answer.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return reply["result"] ?? new JsonObject();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var waiting)) waiting.TrySetResult(node);
                else Observe(node);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    private void Observe(JsonNode message)
    {
        var method = message["method"]?.GetValue<string>();
        var parameters = message["params"];
        if (method == "Runtime.exceptionThrown")
            Problems.Enqueue("exception: " + parameters?["exceptionDetails"]?.ToJsonString());
        else if (method == "Runtime.consoleAPICalled" && parameters?["type"]?.GetValue<string>() == "error")
            Problems.Enqueue("console.error: " + parameters["args"]?.ToJsonString());
    }

    /// <summary>Goes to the URL and waits for the page (and its module scripts) to load.</summary>
    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForAsync("document.readyState === 'complete' && location.href !== 'about:blank'", "the page to load");
    }

    /// <summary>Evaluates a JavaScript expression in the page (promises awaited) and returns its value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } details) throw new InvalidOperationException($"{expression}: {details.ToJsonString()}");
        return result["result"]?["value"];
    }

    /// <summary>Waits (bounded) until the expression is truthy in the page.</summary>
    public Task WaitForAsync(string expression, string what, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => IsTrueAsync(expression), timeout ?? DashboardNode.Soon, () => $"{what}: {expression}");

    private async Task<bool> IsTrueAsync(string expression)
    {
        var value = await EvaluateAsync($"!!({expression})");
        return value is not null && value.GetValue<bool>();
    }

    /// <summary>Clicks the element's centre with real mouse events, as a user would (it must be visible and on top).</summary>
    public async Task ClickAsync(string selector)
    {
        var box = await EvaluateAsync($$"""(() => { const e = document.querySelector({{JsonValue.Create(selector).ToJsonString()}}); e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()""")
            ?? throw new InvalidOperationException($"no element {selector}");
        foreach (var type in new[] { "mouseMoved", "mousePressed", "mouseReleased" })
            await SendAsync("Input.dispatchMouseEvent", new JsonObject
            {
                ["type"] = type, ["x"] = box["x"]!.GetValue<double>(), ["y"] = box["y"]!.GetValue<double>(), ["button"] = "left", ["clickCount"] = 1,
            });
    }

    /// <summary>Saves a PNG of the page as a test artefact; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        var path = Path.Combine(ArtefactFolder, $"{name}.png");
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { _socket.Abort(); } catch (ObjectDisposedException) { }
        await _receiving;
        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        _process.Dispose();
        _profile.Dispose();
    }
}
