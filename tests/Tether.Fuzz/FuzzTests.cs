using Xunit;
using Xunit.Abstractions;

namespace Tether.Fuzz;

/// <summary>
/// The bounded CI runs of the N-node fuzz (about 2 minutes of operations and chaos plus quiescence each): one with a
/// fixed seed, one with a fresh seed every run. A failure names the seed; TETHER_FUZZ_SEED replays it (in both tests).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int FixedSeed = 20261125;

    [Fact]
    public Task FourNodesWithAFixedSeedConvergeWithoutLosingContent() =>
        RunAsync(new FuzzSettings(FuzzSettings.SeedFromEnvironment(FixedSeed)));

    [Fact]
    public Task FourNodesWithARandomSeedConvergeWithoutLosingContent() =>
        RunAsync(new FuzzSettings(FuzzSettings.SeedFromEnvironment(Random.Shared.Next())));

    private async Task RunAsync(FuzzSettings settings)
    {
        output.WriteLine($"fuzz seed {settings.Seed} ({settings.ReplayHint})");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        FuzzRun.Result result;
        try { result = await new FuzzRun(settings, Log).RunAsync(timeout.Token); }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the fuzz run failed: {e.Message}; {settings.ReplayHint}", e);
        }
        output.WriteLine(result.Figures.Summary(settings));
        Assert.True(result.Passed,
            $"fuzz found {result.Problems.Count - 1} problem(s); {settings.ReplayHint} (repositories kept in {result.Folder})\n{string.Join("\n", result.Problems)}");
        Assert.True(result.Figures.Operations > 50, $"the driver should have done many operations: {result.Figures.Summary(settings)}");
    }

    private void Log(string line)
    {
        try { output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"); }
        catch (InvalidOperationException) { } // after the test ended
    }
}
