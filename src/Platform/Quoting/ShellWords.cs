using System.Text;

namespace Tether.Platform.Quoting;

/// <summary>
/// The inverse of <see cref="ShellQuote"/>, for the one place a command line arrives as a string: an ssh forced command's
/// <c>SSH_ORIGINAL_COMMAND</c>. It reads only what Tether and git send: words of plain characters, single-quoted runs
/// (taken literally), and a backslash before one character outside quotes (git writes <c>'\''</c> and <c>\!</c>).
/// Anything a shell would treat specially (<c>; | &amp; $ ` ( ) &lt; &gt; * ? [ ] { } ~ " #</c>, newlines, NUL, an
/// unclosed quote) is refused, not interpreted: nothing is ever handed to a shell, so the words are data.
/// </summary>
public static class ShellWords
{
    /// <summary>Characters a shell would give a meaning to, refused outside single quotes.</summary>
    private const string Special = ";|&$`()<>*?[]{}\"#!^";

    /// <summary>The words, or null with <paramref name="why"/> set when the line is not of that plain form.</summary>
    public static IReadOnlyList<string>? TrySplit(string line, out string why)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '\n' or '\r' or '\0') return Refuse("it holds a line break or NUL", out why);
            if (c is ' ' or '\t')
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                var close = line.IndexOf('\'', i + 1);
                if (close < 0) return Refuse("a single quote is not closed", out why);
                var quoted = line.AsSpan(i + 1, close - i - 1);
                if (quoted.ContainsAny('\n', '\r', '\0')) return Refuse("it holds a line break or NUL", out why);
                word.Append(quoted);
                i = close;
            }
            else if (c == '\\')
            {
                if (i + 1 >= line.Length || line[i + 1] is '\n' or '\r' or '\0') return Refuse("it ends with a backslash", out why);
                word.Append(line[++i]);
            }
            else if (Special.Contains(c) || c == '~' && word.Length == 0)
                return Refuse($"it holds '{c}' outside quotes, which a shell would interpret", out why);
            else word.Append(c);
        }
        if (inWord) words.Add(word.ToString());
        why = "";
        return words;
    }

    private static IReadOnlyList<string>? Refuse(string reason, out string why)
    {
        why = reason;
        return null;
    }
}
