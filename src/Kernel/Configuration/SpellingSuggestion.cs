namespace Tether.Kernel.Configuration;

/// <summary>Finds the obvious near-miss for a mistyped name ("larger_thn" → "larger_than").</summary>
public static class SpellingSuggestion
{
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string typed = Normalize(input);
        var ranked = candidates
            .Select(candidate => (Candidate: candidate, Distance: EditDistance(typed, Normalize(candidate))))
            .OrderBy(scored => scored.Distance)
            .Take(2)
            .ToList();
        if (ranked.Count == 0 || ranked[0].Distance > MaxDistance(input))
            return null;
        bool unambiguous = ranked.Count == 1 || ranked[1].Distance > ranked[0].Distance;
        return unambiguous ? ranked[0].Candidate : null;
    }

    /// <summary>"did you mean 'x'? " or "" when there is no obvious candidate.</summary>
    public static string DidYouMean(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } closest ? $"did you mean '{closest}'? " : "";

    private static int MaxDistance(string input) => Math.Clamp(input.Length / 3, 1, 3);

    private static string Normalize(string name) => name.ToLowerInvariant().Replace('-', '_');

    private static int EditDistance(string a, string b)
    {
        // Levenshtein with adjacent transpositions counted as one edit (optimal string alignment): "snyc" is one from "sync".
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(d[i - 1, j - 1] + cost, Math.Min(d[i - 1, j], d[i, j - 1]) + 1);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
