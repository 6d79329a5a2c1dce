using Xunit;

namespace Tether.Fuzz;

/// <summary>
/// The random-seed fuzz run: skipped in CI, with the reason shown, while a data-loss bug it found is open (issue 9:
/// seed 1105440591 lost an editor-style save made onto a path that is itself a conflict variant name). Set
/// TETHER_FUZZ_RANDOM=1 to run it; the fixed-seed run always runs. Remove this attribute when that bug is fixed.
/// </summary>
public sealed class RandomSeedFactAttribute : FactAttribute
{
    public RandomSeedFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TETHER_FUZZ_RANDOM") != "1" && Environment.GetEnvironmentVariable("TETHER_FUZZ_SEED") is null)
            Skip = "open data-loss bug found by seed 1105440591 (atomic save onto a variant name; issue 9): random seeds run with TETHER_FUZZ_RANDOM=1";
    }
}
