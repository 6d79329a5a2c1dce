using Tether.Kernel.Configuration;

namespace Tether.Fuzz;

/// <summary>The soak's command line, into <see cref="FuzzSettings"/>.</summary>
public static class SoakArguments
{
    public static FuzzSettings Parse(string[] args)
    {
        TimeSpan? total = null;
        var seed = FuzzSettings.SeedFromEnvironment(Random.Shared.Next());
        var nodes = 4;
        var round = TimeSpan.FromMinutes(5);
        var (ssh, keep) = (true, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--soak": total = Duration(Value()); break;
                case "--seed": seed = int.TryParse(Value(), out var s) ? s : throw new ArgumentException("--seed takes an integer"); break;
                case "--nodes": nodes = int.TryParse(Value(), out var n) && n is >= 3 and <= 5 ? n : throw new ArgumentException("--nodes takes 3 to 5"); break;
                case "--round": round = Duration(Value()); break;
                case "--no-ssh": ssh = false; break;
                case "--keep": keep = true; break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (total is null) throw new ArgumentException("--soak DURATION is required (e.g. 30m, 4h)");
        return new FuzzSettings(seed)
        {
            Nodes = nodes, UseSsh = ssh, Keep = keep, TotalTime = total, RoundTime = round < total ? round : total.Value,
            QuiescenceTimeout = TimeSpan.FromMinutes(5),
        };
    }

    private static TimeSpan Duration(string text) =>
        DurationText.TryParse(text, out var duration) ? duration : throw new ArgumentException($"not a duration: {text} (e.g. 90s, 30m, 4h)");
}
