using Tether.Fuzz.Checks;
using Tether.Fuzz.Cluster;
using Tether.Fuzz.Driver;

namespace Tether.Fuzz;

/// <summary>
/// A whole fuzz run: build the cluster, then rounds of (random operations and chaos, quiescence, checks), stopping at
/// the first round that finds a problem. The result holds the figures and the problems; the caller fails on problems.
/// </summary>
public sealed class FuzzRun(FuzzSettings settings, Action<string> log)
{
    public sealed record Result(FuzzFigures Figures, IReadOnlyList<string> Problems, string Folder)
    {
        public bool Passed => Problems.Count == 0;
    }

    public async Task<Result> RunAsync(CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("tether-fuzz-").FullName;
        var trash = Directory.CreateDirectory(Path.Combine(root, "trash")).FullName;
        var figures = new FuzzFigures();
        var started = DateTime.UtcNow;
        log($"fuzz: {settings.ReplayHint}; {settings.Nodes} nodes in {root}");
        var problems = new List<string>();
        try
        {
            await using var cluster = await FuzzCluster.CreateAsync(root, settings, ct);
            var ledger = new ContentLedger();
            var random = new Random(settings.Seed);
            var driver = new RandomDriver(cluster, new WorkTreeOperations(ledger, trash), random, settings, figures, log);
            var checks = new ConvergenceChecks(cluster, ledger);
            while (problems.Count == 0 && MoreRounds(figures.Rounds, started))
            {
                figures.Rounds++;
                await cluster.HealAsync(ct); // the checks stopped every daemon
                log($"round {figures.Rounds}: operating for {settings.RoundTime.TotalSeconds:0} s");
                await driver.RunAsync(settings.RoundTime, ct);
                log($"round {figures.Rounds}: {figures.Operations} operations so far; waiting for quiescence");
                if (await Quiescence.WaitAsync(cluster, settings.QuiescenceTimeout, log, ct) is { } why) problems.Add(why);
                else problems.AddRange(await checks.RunAsync(figures, ct));
                figures.Elapsed = DateTime.UtcNow - started;
                log($"round {figures.Rounds}: {(problems.Count == 0 ? "clean" : $"{problems.Count} problem(s)")}; {figures.Summary(settings)}");
            }
            if (problems.Count > 0) problems.Add(cluster.DescribeAll(lines: 40));
        }
        finally
        {
            figures.Elapsed = DateTime.UtcNow - started;
            if (!settings.Keep && problems.Count == 0) RemoveTree(root);
        }
        return new Result(figures, problems, root);
    }

    /// <summary>A soak of 30m runs at least 30 minutes: another round starts while less than that has passed.</summary>
    private bool MoreRounds(int done, DateTime started) =>
        settings.TotalTime is { } total ? done == 0 || DateTime.UtcNow - started < total : done < settings.Rounds;

    private static void RemoveTree(string root)
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
                if (new FileInfo(dir).LinkTarget is null) File.SetUnixFileMode(dir, (UnixFileMode)0x1C0 /* 0700 */);
            Directory.Delete(root, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
