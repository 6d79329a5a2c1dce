namespace Tether.Fuzz;

/// <summary>
/// One fuzz run: its seed, how many nodes (3 to 5; with <see cref="UseSsh"/> the last one is reached over the test
/// sshd), how long the driver changes things per round and how many rounds (each ends with quiescence and the checks).
/// </summary>
public sealed record FuzzSettings(int Seed)
{
    public const string SeedVariable = "TETHER_FUZZ_SEED";

    public int Nodes { get; init; } = 4;
    public bool UseSsh { get; init; } = true;
    public TimeSpan RoundTime { get; init; } = TimeSpan.FromSeconds(75);
    public int Rounds { get; init; } = 1;
    /// <summary>For the soak: rounds until this much time has passed (overrides <see cref="Rounds"/>).</summary>
    public TimeSpan? TotalTime { get; init; }
    public TimeSpan QuiescenceTimeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>annex.largefiles.larger_than for every node: files from this size are annexed.</summary>
    public int LargeFileThreshold { get; init; } = 16 * 1024;
    /// <summary>Keep the repositories on disk after the run (for a look at a failure).</summary>
    public bool Keep { get; init; }

    public string ReplayHint => $"replay with {SeedVariable}={Seed}";

    /// <summary>The seed from TETHER_FUZZ_SEED, else <paramref name="fallback"/>.</summary>
    public static int SeedFromEnvironment(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var seed) ? seed : fallback;
}
