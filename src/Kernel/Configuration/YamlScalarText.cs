using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tether.Kernel.Configuration;

/// <summary>Writes strings as YAML scalars: plain when that is unambiguous, double-quoted otherwise.</summary>
internal static partial class YamlScalarText
{
    private static readonly HashSet<string> WordsYamlReadsAsNonStrings = new(StringComparer.OrdinalIgnoreCase)
    {
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf", ".nan",
    };

    public static string Format(string value, bool inFlow = false)
    {
        bool plainIsSafe = (inFlow ? FlowPlainPattern() : BlockPlainPattern()).IsMatch(value)
            && !value.EndsWith(':')
            && !WordsYamlReadsAsNonStrings.Contains(value)
            && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return plainIsSafe ? value : Quote(value);
    }

    public static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in value)
            quoted.Append(Escape(c));
        return quoted.Append('"').ToString();
    }

    private static string Escape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ when char.IsControl(c) => $"\\u{(int)c:X4}",
        _ => c.ToString(),
    };

    [GeneratedRegex(@"^[A-Za-z0-9_./~][A-Za-z0-9_./~@+:-]*$")]
    private static partial Regex BlockPlainPattern();

    // Inside [ ] and { } a ':' could be read as a key separator, so it is quoted there.
    [GeneratedRegex(@"^[A-Za-z0-9_./~][A-Za-z0-9_./~@+-]*$")]
    private static partial Regex FlowPlainPattern();
}
