using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tether.Kernel.Configuration;

/// <summary>Reads and writes durations as config files spell them: 200ms, 30s, 10m, 1h30m, 2d.</summary>
public static partial class DurationText
{
    public const string ExpectedForm = "expected a duration such as 200ms, 30s, 10m, 1h30m or 2d (units: ms, s, m, h, d)";

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new FormatException($"'{text}' is not a duration; {ExpectedForm}");

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = DurationPattern().Match(text?.Trim() ?? "");
        if (!match.Success)
            return false;
        decimal milliseconds = 0;
        for (int i = 0; i < match.Groups["number"].Captures.Count; i++)
        {
            decimal number = decimal.Parse(match.Groups["number"].Captures[i].Value, CultureInfo.InvariantCulture);
            milliseconds += number * MillisecondsPer(match.Groups["unit"].Captures[i].Value);
        }
        if (milliseconds > (decimal)TimeSpan.MaxValue.TotalMilliseconds)
            return false;
        duration = TimeSpan.FromTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond));
        return true;
    }

    /// <summary>True for "200", "30" and the like: a number that lacks a unit.</summary>
    public static bool IsBareNumber(string text) => BareNumberPattern().IsMatch(text.Trim());

    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
            return "0s";
        var text = new StringBuilder();
        if (duration < TimeSpan.Zero)
            text.Append('-');
        duration = duration.Duration();
        AppendPart(text, duration.Days, "d");
        AppendPart(text, duration.Hours, "h");
        AppendPart(text, duration.Minutes, "m");
        AppendPart(text, duration.Seconds, "s");
        decimal milliseconds = (decimal)(duration.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerMillisecond;
        if (milliseconds != 0)
            text.Append(milliseconds.ToString("0.####", CultureInfo.InvariantCulture)).Append("ms");
        return text.ToString();
    }

    private static void AppendPart(StringBuilder text, int value, string unit)
    {
        if (value != 0)
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
    }

    private static decimal MillisecondsPer(string unit) => unit switch
    {
        "ms" => 1,
        "s" => 1000,
        "m" => 60 * 1000,
        "h" => 60 * 60 * 1000,
        _ => 24 * 60 * 60 * 1000,
    };

    [GeneratedRegex(@"^(?:(?<number>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>ms|s|m|h|d)\s*)+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[-+]?[0-9]+(?:\.[0-9]+)?$")]
    private static partial Regex BareNumberPattern();
}
