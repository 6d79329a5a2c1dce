using System.Text.RegularExpressions;
using Tether.Kernel.Git;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>The system git's bundle commands, run through <see cref="GitProcess"/> with argument lists.</summary>
public static partial class BundleGit
{
    /// <summary>A bundle lists at most this many refs; more is refused.</summary>
    public const int MaxHeads = 10_000;

    /// <summary>Creates a bundle of <paramref name="refs"/> (full ref names) without the history of <paramref name="prerequisites"/>.</summary>
    public static async Task CreateAsync(string gitDir, string file, IReadOnlyList<string> refs, IReadOnlyList<string> prerequisites, CancellationToken ct)
    {
        string[] not = prerequisites.Count > 0 ? ["--not", .. prerequisites] : [];
        var result = await GitProcess.RunAsync(gitDir, ["bundle", "create", "-q", file, .. refs, .. not], ct);
        if (result.ExitCode != 0) throw new IOException($"git bundle create failed: {result.ErrorText}");
    }

    /// <summary>The refs a bundle names: (sha, ref name) pairs, as `git bundle list-heads` prints them (hostile: checked by the caller).</summary>
    public static async Task<IReadOnlyList<(string Sha, string Ref)>> ListHeadsAsync(string gitDir, string file, string what, CancellationToken ct)
    {
        var result = await GitProcess.RunAsync(gitDir, ["bundle", "list-heads", file], ct);
        if (result.ExitCode != 0) throw new IOException($"{what} is not a git bundle: {result.ErrorText}");
        var heads = new List<(string, string)>();
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ');
            if (space < 0 || !ObjectName().IsMatch(line[..space])) throw new IOException($"{what}: unreadable ref line '{Printable(line)}'");
            heads.Add((line[..space], line[(space + 1)..]));
            if (heads.Count > MaxHeads) throw new IOException($"{what} names more than {MaxHeads} refs; refused");
        }
        return heads;
    }

    /// <summary>
    /// Stores the bundle's objects (git bundle unbundle: prerequisites checked, pack indexed and verified; no ref is written),
    /// then checks that every tip is complete here (every object it reaches is present).
    /// </summary>
    public static async Task UnbundleAsync(string gitDir, string file, IReadOnlyList<string> tips, string what, CancellationToken ct)
    {
        var result = await GitProcess.RunAsync(gitDir, ["bundle", "unbundle", file], ct);
        if (result.ExitCode != 0 && result.ErrorText.Contains("lacks these prerequisite commits", StringComparison.Ordinal))
            throw new BundlePrerequisitesMissingException($"{what} needs commits this repository does not have yet: {result.ErrorText}");
        if (result.ExitCode != 0) throw new IOException($"{what} cannot be read into this repository: {result.ErrorText}");
        if (tips.Count == 0) return;
        var walk = await GitProcess.RunAsync(gitDir, ["rev-list", "--objects", "--quiet", .. tips.Distinct(), "--not", "--all"], ct);
        if (walk.ExitCode != 0) throw new IOException($"{what}: its refs name objects it does not carry: {walk.ErrorText}");
    }

    [GeneratedRegex("^([0-9a-f]{40}|[0-9a-f]{64})$")]
    private static partial Regex ObjectName();

    internal static string Printable(string text) => new(text.Take(160).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
