using Tether.Kernel.Control;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Hooks;

/// <summary>
/// Out-of-band signalling between two real daemons. A has no remote for B, so nothing of A's reaches B by a
/// push: B only learns of A's changes when it is poked (B's own retry timer is 30 minutes away).
/// </summary>
public sealed class HookSignallingTests
{
    private static async Task<(string A, string B)> InitAsync(TempFolder dir, string hooksYaml)
    {
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        var init = await CliRunner.RunAsync(dir.Path, "init", a, "--description", "a");
        Assert.True(init.ExitCode == 0, init.ToString());
        var config = Path.Combine(a, ".tether", "config.yml");
        var text = File.ReadAllText(config);
        Assert.Contains("\nhooks:\n", text);
        File.WriteAllText(config, text.Replace("\nhooks:\n", "\n" + hooksYaml.ReplaceLineEndings("\n").TrimEnd('\n') + "\n"));
        return (a, b);
    }

    private static string Yaml(string value) => JsonSerializer.Serialize(value);

    [Fact]
    public async Task ACommitHookOnAThatPokesBMakesBPullAtOnce()
    {
        using var dir = new TempFolder();
        var b = dir.Combine("b");
        var (a, _) = await InitAsync(dir, $"""
            hooks:
              - name: poke-b
                events: [commit]
                command: [{Yaml(TetherProcess.ProgramPath)}, "-C", {Yaml(b)}, "poke", "a"]
            """);
        using var nodeB = await WatchingNode.StartAsync(b, a);
        using var nodeA = await WatchingNode.StartAsync(a);

        var clock = Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(a, "signalled.txt"), "from a");
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(b, "signalled.txt")) && File.ReadAllText(Path.Combine(b, "signalled.txt")) == "from a", TimeSpan.FromSeconds(20),
            () => $"A:\n{nodeA.Daemon.Output}\nB:\n{nodeB.Daemon.Output}");
        var elapsed = clock.Elapsed;
        // Typically about a second; the bound only has to rule out B's retry timer (30 minutes), with room for a loaded CI machine.
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"B merged after {elapsed}");
        Assert.Equal("from a", File.ReadAllText(Path.Combine(b, "signalled.txt")));
        await Eventually.TrueAsync(() => nodeA.Daemon.Output.Contains("Hook poke-b on commit: exit 0"), TimeSpan.FromSeconds(10), nodeA.Daemon.Describe);
        var bRemote = (await nodeB.QueryAsync(ControlCommand.Status))!.Status!.Remotes.Single(r => r.Name == "a");
        Assert.True(bRemote.NextRetryAt is null || bRemote.NextRetryAt > DateTimeOffset.UtcNow.AddMinutes(20), "no retry timer is involved");

        Assert.Equal(0, await nodeA.StopAsync());
        Assert.Equal(0, await nodeB.StopAsync());
    }

    [Fact]
    public async Task AnMqttMessageFromAsHookPokesBThroughARealBroker()
    {
        foreach (var tool in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto_pub", "/usr/bin/mosquitto_sub" })
            Assert.True(File.Exists(tool), $"{tool} is missing: install the apt packages mosquitto and mosquitto-clients (./run-tests does)");
        using var dir = new TempFolder();
        int port = HookExampleScriptTests.FreePort();
        var brokerConfig = dir.Combine("mosquitto.conf");
        File.WriteAllText(brokerConfig, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        using var broker = Started("/usr/sbin/mosquitto", "-c", brokerConfig);
        try
        {
            await Eventually.TrueAsync(() => CanConnect(port) || broker.HasExited, TimeSpan.FromSeconds(10), () => "mosquitto did not listen");
            if (broker.HasExited) Assert.Fail($"mosquitto exited {broker.ExitCode}: {broker.StandardError.ReadToEnd()}");

            var (a, b) = await InitAsync(dir, $"""
                hooks:
                  - name: mqtt
                    events: [commit]
                    command: [{Yaml(HookExampleScriptTests.Script("mqtt-publish.sh"))}, "127.0.0.1", "{port}", "tether/a"]
                """);
            using var nodeB = await WatchingNode.StartAsync(b, a);
            using var nodeA = await WatchingNode.StartAsync(a);

            // B's side: a subscriber; it is known to be subscribed once a probe it receives comes back.
            using var subscriber = Started("/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port.ToString(), "-t", "tether/#", "-v");
            try
            {
                var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
                var reader = Task.Run(async () => { while (await subscriber.StandardOutput.ReadLineAsync() is { } line) lines.Enqueue(line); });
                await Eventually.TrueAsync(() =>
                {
                    GitCli.TryRunTool("/usr/bin/mosquitto_pub", dir.Path, "-h", "127.0.0.1", "-p", port.ToString(), "-t", "tether/probe", "-m", "probe");
                    return lines.Any(l => l.StartsWith("tether/probe "));
                }, TimeSpan.FromSeconds(10), () => "the subscriber never received a probe");

                var clock = Stopwatch.StartNew();
                File.WriteAllText(Path.Combine(a, "over mqtt.txt"), "from a");
                await Eventually.TrueAsync(() => lines.Any(l => l.StartsWith("tether/a ")), TimeSpan.FromSeconds(15), nodeA.Daemon.Describe);
                var message = JsonDocument.Parse(lines.First(l => l.StartsWith("tether/a "))["tether/a ".Length..]).RootElement;
                Assert.Equal("commit", message.GetProperty("event").GetString());
                Assert.Equal(a, message.GetProperty("repo").GetString());

                var poke = await CliRunner.RunAsync(b, "poke", "a");
                Assert.True(poke.ExitCode == 0, poke.ToString());
                await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "HEAD").Contains("over mqtt.txt"), TimeSpan.FromSeconds(20), nodeB.Daemon.Describe);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"B had A's change after {clock.Elapsed}");
            }
            finally { Kill(subscriber); }
            Assert.Equal(0, await nodeA.StopAsync());
            Assert.Equal(0, await nodeB.StopAsync());
        }
        finally { Kill(broker); }
    }

    private static Process Started(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        return Process.Start(psi)!;
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(5_000);
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException) { return false; }
    }
}
