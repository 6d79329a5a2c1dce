using System.Text.RegularExpressions;

namespace Tether.Kernel.History;

/// <summary>
/// Which node made a commit: the repository UUID in its <see cref="Trailer"/> (written by Tether's committer), named by its
/// description in uuid.log; for older commits and git-annex's own, the description in the subject ("tether in laptop: ...",
/// "git-annex in laptop").
/// </summary>
public static partial class CommitNode
{
    public const string Trailer = "Tether-Node";

    public static string Describe(string? uuid, string subject, IReadOnlyDictionary<string, string> descriptions)
    {
        if (uuid is not null && descriptions.TryGetValue(uuid, out var description) && description.Length > 0) return description;
        var match = SubjectPattern().Match(subject);
        if (match.Success) return match.Groups["node"].Value;
        return uuid ?? "unknown";
    }

    [GeneratedRegex(@"^(?:tether|git-annex) in (?<node>.+?)(?::|$)")]
    private static partial Regex SubjectPattern();
}
