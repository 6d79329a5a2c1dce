using System.Text;

namespace Tether.Kernel.Hooks;

/// <summary>
/// POSIX shell quoting: a value inside single quotes is taken literally by /bin/sh (no $, `, \, globs or
/// word splitting); a single quote itself is written as '\''. The only form that is safe for every byte string.
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
}
