using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tether.Kernel.Configuration;
using Tether.Kernel.Events;
using Tether.Kernel.Git;
using Tether.Kernel.Hooks;
using Tether.Platform.Quoting;
using Tether.Tests.Support;
using Xunit;
using Tether.Kernel.Committing;

namespace Tether.Tests.Hooks;

/// <summary>The scripts in hooks/ at the repository root, each run as a real hook against a real or stub target.</summary>
public sealed class HookExampleScriptTests
{
    public static string Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Framework.sln"))) return Path.Combine(dir.FullName, "hooks", name);
        throw new FileNotFoundException("the repository root (Framework.sln) was not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<HookRunResult> RunAsync(HookHarness h, HookConfig hook, SyncEvent e)
    {
        var results = new ConcurrentQueue<HookRunResult>();
        h.Start([hook]).RunCompleted += results.Enqueue;
        h.Bus.Publish(e);
        await Eventually.TrueAsync(() => !results.IsEmpty, TimeSpan.FromSeconds(20), h.LogText);
        var result = results.Single();
        Assert.True(result.Succeeded, $"{result}\n{h.LogText()}");
        return result;
    }

    [Fact]
    public async Task LogJsonlAppendsEachEventAsOneLine()
    {
        using var h = new HookHarness();
        var file = h.Combine("events.jsonl");
        var results = new ConcurrentQueue<HookRunResult>();
        h.Start([new HookConfig { Events = ["change", "push"], Command = [Script("log-jsonl.sh"), file] }]).RunCompleted += results.Enqueue;
        h.Bus.Publish(new ChangeEvent(DateTimeOffset.UtcNow, new CommitResult("c1", ["a\nb.txt", "it's.txt"], [], [], [], [])));
        h.Bus.Publish(new PushEvent(DateTimeOffset.UtcNow, "server", false, "refused\nby peer"));
        await Eventually.TrueAsync(() => results.Count == 2, TimeSpan.FromSeconds(20), h.LogText);
        Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));

        var lines = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        var change = lines.Single(l => l.GetProperty("event").GetString() == "change");
        Assert.Equal(["a\nb.txt", "it's.txt"], change.GetProperty("change").GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("refused\nby peer", lines.Single(l => l.GetProperty("event").GetString() == "push").GetProperty("push").GetProperty("error").GetString());
    }

    [Fact]
    public async Task NtfyPublishPostsTitleAndSummaryToTheUrl()
    {
        using var h = new HookHarness();
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = (context.Request.HttpMethod, context.Request.Url!.AbsolutePath, Title: context.Request.Headers["Title"], Body: await reader.ReadToEndAsync());
            context.Response.StatusCode = 200;
            context.Response.Close();
            return request;
        });

        await RunAsync(h, new HookConfig { Events = ["commit"], Command = [Script("ntfy-publish.sh"), $"http://127.0.0.1:{port}/my-topic"] },
            new CommitEvent(DateTimeOffset.UtcNow, "abc123", "2 added"));

        var (method, path, title, body) = await received.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("POST", method);
        Assert.Equal("/my-topic", path);
        Assert.Equal("tether commit in work", title);
        Assert.Equal("2 added (abc123)", body);
    }

    [Fact]
    public async Task DesktopNotifyCallsNotifySendWithTheEventAsSeparateArguments()
    {
        using var h = new HookHarness();
        var bin = h.Combine("bin");
        Directory.CreateDirectory(bin);
        var argv = h.Combine("notify-argv");
        HookHarness.WriteScript(Path.Combine(bin, "notify-send"), $"#!/bin/sh\nprintf '%s\\0' \"$@\" > {ShellQuote.Quote(argv)}");

        await RunAsync(h, new HookConfig
        {
            Events = ["conflict"], Command = [Script("desktop-notify.sh")],
            Env = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") },
        }, HookSamples.For("conflict", DateTimeOffset.UtcNow, paths: ["$(touch x).txt", "b.txt", "c.txt"]));

        var args = Encoding.UTF8.GetString(File.ReadAllBytes(argv)).TrimEnd('\0').Split('\0');
        Assert.Equal(["--app-name=Tether", "--urgency=critical", "--", "Tether: work", "3 file(s) in conflict: both versions were kept"], args);
    }

    [Fact]
    public async Task SshPokeQuotesEachValueForTheRemoteShell()
    {
        using var h = new HookHarness();
        var bin = h.Combine("bin");
        Directory.CreateDirectory(bin);
        var sshArgv = h.Combine("ssh-argv");
        var marker = h.Combine("pwned");
        HookHarness.WriteScript(Path.Combine(bin, "ssh"), $"#!/bin/sh\nprintf '%s\\0' \"$@\" > {ShellQuote.Quote(sshArgv)}");
        var path = $"/home/me/My Tether/$(touch {marker})/it's";
        var name = $"lap`touch {marker}`top; touch {marker}";

        await RunAsync(h, new HookConfig
        {
            Events = ["commit"], Command = [Script("ssh-poke.sh"), "me@server.example", path, name],
            Env = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") },
        }, new CommitEvent(DateTimeOffset.UtcNow, "abc", "1 added"));

        var args = Encoding.UTF8.GetString(File.ReadAllBytes(sshArgv)).TrimEnd('\0').Split('\0');
        Assert.Equal(["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "--", "me@server.example"], args[..^1]);

        // What the remote shell would do with the command line: run a stub tether that records its argv.
        var tetherArgv = h.Combine("tether-argv");
        HookHarness.WriteScript(Path.Combine(bin, "tether"), $"#!/bin/sh\nprintf '%s\\0' \"$@\" > {ShellQuote.Quote(tetherArgv)}");
        var (code, output) = GitCli.TryRunTool("/usr/bin/env", h.WorkTree, $"PATH={bin}:/usr/bin:/bin", "/bin/sh", "-c", args[^1]);
        Assert.True(code == 0, output);
        Assert.Equal(["-C", path, "poke", name], Encoding.UTF8.GetString(File.ReadAllBytes(tetherArgv)).TrimEnd('\0').Split('\0'));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task SshPokeRunsTheRemoteTetherThatTetherRemoteCommandNames()
    {
        using var h = new HookHarness();
        var bin = h.Combine("bin");
        Directory.CreateDirectory(bin);
        var sshArgv = h.Combine("ssh-argv");
        HookHarness.WriteScript(Path.Combine(bin, "ssh"), $"#!/bin/sh\nprintf '%s\\0' \"$@\" > {ShellQuote.Quote(sshArgv)}");

        await RunAsync(h, new HookConfig
        {
            Events = ["commit"], Command = [Script("ssh-poke.sh"), "me@server.example", "/srv/t", "laptop"],
            Env = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"), ["TETHER_REMOTE_COMMAND"] = "/opt/tether/tether" },
        }, new CommitEvent(DateTimeOffset.UtcNow, "abc", "1 added"));

        var args = Encoding.UTF8.GetString(File.ReadAllBytes(sshArgv)).TrimEnd('\0').Split('\0');
        Assert.Equal("'/opt/tether/tether' -C '/srv/t' poke 'laptop'", args[^1]);
    }
}
