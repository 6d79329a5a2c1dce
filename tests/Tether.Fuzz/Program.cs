using System.Runtime.InteropServices;

namespace Tether.Fuzz;

/// <summary>
/// The soak: `dotnet run --project tests/Tether.Fuzz -- --soak 30m [--seed N] [--nodes 3..5] [--round 5m]
/// [--no-ssh] [--keep]`. Rounds of operations, each ending with quiescence and every check, until the time is up;
/// prints the figures; exits 1 on the first problem (with the seed to replay), 2 on bad arguments.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        FuzzSettings settings;
        try { settings = SoakArguments.Parse(args); }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\nusage: --soak DURATION [--seed N] [--nodes 3..5] [--round DURATION] [--no-ssh] [--keep]");
            return 2;
        }
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        // SIGTERM too: a soak started in the background (nohup ... &) has SIGINT ignored by the shell.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        FuzzRun.Result result;
        try { result = await new FuzzRun(settings, line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}")).RunAsync(stop.Token); }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine($"stopped by a signal; {settings.ReplayHint}");
            return 130;
        }
        Console.WriteLine($"SUMMARY {(result.Passed ? "PASS" : "FAIL")}: {result.Figures.Summary(settings)}");
        if (result.Passed) return 0;
        Console.WriteLine($"{settings.ReplayHint} (or --seed {settings.Seed}); repositories kept in {result.Folder}");
        foreach (var problem in result.Problems) Console.WriteLine(problem);
        return 1;
    }
}
