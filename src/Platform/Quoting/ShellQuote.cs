using System.Text;

namespace Tether.Platform.Quoting;

/// <summary>
/// POSIX shell quoting, the one rule Tether uses wherever a word reaches a shell (a hook's <c>shell: true</c>
/// command, GIT_SSH_COMMAND, the remote command ssh hands to the remote shell): a value inside single quotes is
/// taken literally by /bin/sh (no $, `, \, globs or word splitting); a single quote itself is written as '\''.
/// The only form that is safe for every byte string.
/// </summary>
public static class ShellQuote
{
    public static string Quote(string value)
    {
        if (value.Length == 0) return "''";
        var quoted = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (c == '\'') quoted.Append("'\\''");
            else quoted.Append(c);
        }
        return quoted.Append('\'').ToString();
    }

    /// <summary>Each value quoted, separated by spaces: a list becomes that many shell words.</summary>
    public static string QuoteAll(IEnumerable<string> values) => string.Join(' ', values.Select(Quote));

    /// <summary>
    /// For messages and listings only (never run): a word of letters, digits and <c>-_./=:,+@%</c> is shown bare,
    /// anything else <see cref="Quote"/>d, so what is shown can be pasted into a shell and means the same words.
    /// </summary>
    public static string ForDisplay(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? word : Quote(word);
}
