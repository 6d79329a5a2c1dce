namespace Tether.Kernel.OneShot;

/// <summary>
/// One remote's failures as the report prints them: each on one line, each cause once. When the remote's own tether
/// says there is no repository there, git's view of the same ("does not appear to be a git repository") is dropped.
/// </summary>
public static class SyncErrors
{
    private const string GitSaysNoRepository = "does not appear to be a git repository";

    public static List<string> Collapse(IEnumerable<string> errors)
    {
        var lines = errors.Select(OneLine).Distinct(StringComparer.Ordinal).ToList();
        if (lines.Any(e => e.Contains("no Tether repository at", StringComparison.Ordinal)))
            lines.RemoveAll(e => e.Contains(GitSaysNoRepository, StringComparison.Ordinal));
        return lines;
    }

    private static string OneLine(string error) =>
        string.Join(' ', error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
