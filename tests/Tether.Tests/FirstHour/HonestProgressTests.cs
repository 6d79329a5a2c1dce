using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Tether.Kernel.Control;
using Tether.Kernel.Status;
using Tether.Kernel.Transfers;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>Progress figures are true: a moving-window rate, an ETA from it, paused transfers shown as paused with their bytes.</summary>
public sealed class HonestProgressTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);
    private const long MiB = 1 << 20;

    [Fact]
    public void TheRateIsOverRecentBytesNotTheWholeLifeAndAResumedStartDoesNotCount()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1764092400));
        var rate = new TransferRate(clock);
        rate.Observe(317 * MiB); // resumed: 317 MiB were sent before
        for (var i = 1; i <= 20; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            rate.Observe(317 * MiB + i * MiB); // 10 MiB/s
        }
        Assert.InRange(rate.BytesPerSecond(), 9.5 * MiB, 10.5 * MiB);
        Assert.InRange(TransferRate.EtaSeconds(337 * MiB, 500 * MiB, rate.BytesPerSecond())!.Value, 15.5, 17);

        for (var i = 1; i <= 50; i++) // then 1 MiB/s for 5 s: the window forgets the faster start
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            rate.Observe(337 * MiB + i * MiB / 10);
        }
        Assert.InRange(rate.BytesPerSecond(), 0.9 * MiB, 1.2 * MiB);
        clock.Advance(TimeSpan.FromSeconds(6)); // stalled
        Assert.Equal(0, rate.BytesPerSecond());
    }

    [Fact]
    [Trait("Terminal", "pty")]
    public async Task ALimitedUploadShowsItsTrueRateAndAPausedOneIsShownPausedWithItsBytesEverywhere()
    {
        Assert.True(PseudoTerminal.Available, "util-linux script is needed for the terminal check (./run-tests installs it)");
        using var dir = new TempFolder();
        var (a, b) = (dir.Combine("a"), dir.Combine("b"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b, "--bandwidth-limit", "4MiB/s")).ExitCode);
        var data = new byte[120 * MiB];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(Path.Combine(a, "big.bin"), data);
        using var node = await WatchingNode.StartAsync(a, (IReadOnlyDictionary<string, string>?)null);

        TransferStatus? upload = null;
        await Eventually.TrueAsync(async () => (upload = (await node.QueryAsync(ControlCommand.Status))?.Status?.Transfers
            .FirstOrDefault(t => t is { Running: true, BytesPerSecond: > 0 } && t.Bytes > 12 * MiB)) is not null, Soon, node.Daemon.Describe);
        Assert.InRange(upload!.BytesPerSecond, 3 * MiB, 5 * MiB);
        Assert.InRange(upload.EtaSeconds!.Value, (120 * MiB - upload.Bytes) / (5.0 * MiB), (120 * MiB - upload.Bytes) / (3.0 * MiB));

        using (var terminal = PseudoTerminal.Start(a, "status"))
        {
            var rateOnScreen = new Regex(@"big\.bin → b.*?(\d+\.\d) MiB/s");
            await Eventually.TrueAsync(() => rateOnScreen.Matches(terminal.Screen).Count >= 3, Soon, () => terminal.Screen);
            foreach (Match shown in rateOnScreen.Matches(terminal.Screen))
                Assert.InRange(double.Parse(shown.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 3.0, 5.0);

            Assert.Equal(0, (await CliRunner.RunAsync(a, "transfers", "pause")).ExitCode);
            await terminal.WaitForExitAsync(Soon); // the view ends once nothing runs
            var last = LastBarLine(terminal.Screen);
            Assert.Contains("paused", last);
            Assert.DoesNotContain("100%", last);
        }

        var json = await CliRunner.RunAsync(a, "transfers", "--json");
        var paused = JsonSerializer.Deserialize<TransferStatus[]>(json.Out, ControlJson.Options)!.Single(t => t.File == "big.bin");
        Assert.Equal("paused", paused.State);
        Assert.True(paused.Bytes > 12 * MiB, json.Out);
        var text = await CliRunner.RunAsync(a, "transfers");
        Assert.Matches(@"paused +upload big\.bin \(b\) \d+\.\d MiB/120\.0 MiB \d+% done", text.Out);
        var status = await CliRunner.RunAsync(a, "status", "--once");
        Assert.Contains(TransferProgressLine(text.Out), status.Out);

        Assert.Equal(0, (await CliRunner.RunAsync(a, "transfers", "resume")).ExitCode);
        await Eventually.TrueAsync(async () => (await node.QueryAsync(ControlCommand.Status))?.Status?.Transfers
            .Any(t => t is { Running: true } && t.Bytes >= paused.Bytes) == true, Soon, node.Daemon.Describe);
        Assert.Equal(0, await node.StopAsync());
    }

    private static string TransferProgressLine(string transfersOut) => transfersOut.Split('\n').First(l => l.Contains("big.bin")).Trim();

    /// <summary>The last frame's line for the bar (Spectre redraws in place; lines are split on cursor moves too).</summary>
    private static string LastBarLine(string screen) =>
        Regex.Split(screen, @"\r|\n|\x1b\[\d*[A-G]").Last(l => l.Contains("big.bin"));
}
