using System.Globalization;
using System.Text.RegularExpressions;
using Tether.Kernel.Configuration;

namespace Tether.Kernel.History;

/// <summary>
/// The times history commands take: ISO 8601 ("2026-12-01T09:30:00Z", a date alone is midnight UTC), relative
/// ("2 days ago", "3 hours ago", "yesterday", "now"), or a span back from now as the config spells durations ("7d").
/// </summary>
public static partial class TimeText
{
    public const string ExpectedForm = "expected a time such as 2026-12-01T09:30:00Z, \"2 days ago\", \"yesterday\" or a span such as 7d";

    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("now", StringComparison.OrdinalIgnoreCase)) return now;
        if (trimmed.Equals("yesterday", StringComparison.OrdinalIgnoreCase)) return now.AddDays(-1);
        var relative = RelativePattern().Match(trimmed);
        if (relative.Success)
        {
            var count = double.Parse(relative.Groups["n"].Value, CultureInfo.InvariantCulture);
            return now - UnitOf(relative.Groups["unit"].Value) * count;
        }
        if (DurationText.TryParse(trimmed, out var span) && !DurationText.IsBareNumber(trimmed)) return now - span;
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var absolute))
            return absolute;
        throw new FormatException($"'{text}': {ExpectedForm}");
    }

    private static TimeSpan UnitOf(string unit) => unit.ToLowerInvariant().TrimEnd('s') switch
    {
        "second" or "sec" => TimeSpan.FromSeconds(1),
        "minute" or "min" => TimeSpan.FromMinutes(1),
        "hour" => TimeSpan.FromHours(1),
        "day" => TimeSpan.FromDays(1),
        "week" => TimeSpan.FromDays(7),
        "month" => TimeSpan.FromDays(30),
        "year" => TimeSpan.FromDays(365),
        var other => throw new FormatException($"unknown unit '{other}'; {ExpectedForm}"),
    };

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)\s*(?<unit>[a-zA-Z]+)\s+ago$", RegexOptions.IgnoreCase)]
    private static partial Regex RelativePattern();
}
