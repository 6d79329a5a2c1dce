using System.Text;
using System.Text.RegularExpressions;
using Tether.Kernel.Configuration;

namespace Tether.Kernel.Wants;

/// <summary>
/// A gitignore-like glob matched against repository-relative paths with '/' separators:
/// '*' and '?' stay within one path segment, '**' crosses segments, [abc] and [!abc] are
/// character classes. A pattern without '/' matches at any depth; a pattern with '/' is
/// relative to the repository root. As in gitignore, a pattern that matches a folder
/// matches everything inside it, and a trailing '/' matches folders only.
/// </summary>
public sealed class GlobPattern
{
    public const string ExpectedForm =
        "expected a glob such as \"*.iso\" or \"media/**\" (* stays within a folder, ** crosses folders, ? is one character)";

    private readonly Regex regex;
    private readonly bool foldersOnly;

    public GlobPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        string body = pattern.TrimStart('/');
        foldersOnly = body.EndsWith('/');
        body = body.TrimEnd('/');
        if (body.Length == 0)
            throw new ArgumentException($"'{pattern}' is not a usable glob; {ExpectedForm}", nameof(pattern));
        Pattern = pattern;
        bool anchored = pattern.TrimEnd('/').Contains('/');
        string anyFolderPrefix = anchored ? "" : "(?:.*/)?";
        // NonBacktracking: matching is linear in the path's length whatever the pattern (a peer's wants.log
        // glob such as "*a*a*a...*c" made the backtracking engine run for ever on a long name).
        regex = new Regex($"^{anyFolderPrefix}{TranslateToRegex(body)}$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
    }

    public string Pattern { get; }

    public bool IsMatch(string relativePath)
    {
        string path = Normalize(relativePath);
        if (!foldersOnly && regex.IsMatch(path))
            return true;
        return ParentFolders(path).Any(regex.IsMatch);
    }

    public override string ToString() => Pattern;

    private static string Normalize(string path)
    {
        while (path.StartsWith("./", StringComparison.Ordinal))
            path = path[2..];
        return path.TrimStart('/');
    }

    private static IEnumerable<string> ParentFolders(string path)
    {
        for (int slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            yield return path[..slash];
    }

    private static string TranslateToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
            i = AppendToken(glob, i, regex);
        return regex.ToString();
    }

    /// <summary>Appends the regex for the glob token at <paramref name="i"/>; returns the index of its last character.</summary>
    private static int AppendToken(string glob, int i, StringBuilder regex)
    {
        char c = glob[i];
        bool atSegmentStart = i == 0 || glob[i - 1] == '/';
        if (c == '*' && At(glob, i + 1, '*'))
            return AppendDoubleStar(glob, i, atSegmentStart, regex);
        switch (c)
        {
            case '*': regex.Append("[^/]*"); return i;
            case '?': regex.Append("[^/]"); return i;
            case '[': return AppendCharacterClass(glob, i, regex);
            case '\\' when i + 1 < glob.Length: regex.Append(Regex.Escape(glob[i + 1].ToString())); return i + 1;
            default: regex.Append(Regex.Escape(c.ToString())); return i;
        }
    }

    private static int AppendDoubleStar(string glob, int i, bool atSegmentStart, StringBuilder regex)
    {
        int end = i + 1;
        while (At(glob, end + 1, '*'))
            end++;
        if (atSegmentStart && At(glob, end + 1, '/'))
        {
            regex.Append("(?:.*/)?"); // "**/" also matches no folder at all
            return end + 1;
        }
        regex.Append(".*");
        return end;
    }

    private static int AppendCharacterClass(string glob, int i, StringBuilder regex)
    {
        int close = glob.IndexOf(']', i + 2);
        if (close < 0)
        {
            regex.Append(@"\[");
            return i;
        }
        string members = glob[(i + 1)..close];
        bool negated = members[0] is '!' or '^';
        if (negated)
            members = members[1..];
        string escaped = members.Replace(@"\", @"\\").Replace("[", @"\[").Replace("^", @"\^");
        regex.Append(negated ? $"[^/{escaped}]" : $"[{escaped}]");
        return close;
    }

    private static bool At(string text, int index, char expected) => index < text.Length && text[index] == expected;
}
