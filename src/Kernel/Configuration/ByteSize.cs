using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Tether.Kernel.Configuration;

/// <summary>A number of bytes, written in config files as 1048576, 500kB or 1.5MiB.</summary>
public readonly partial record struct ByteSize(long Bytes)
{
    public const string ExpectedForm = "expected a size such as 1MiB, 500kB or 1048576";

    private static readonly FrozenDictionary<string, long> Units = new Dictionary<string, long>
    {
        [""] = 1, ["b"] = 1,
        ["kb"] = 1000, ["mb"] = 1000_000, ["gb"] = 1000_000_000, ["tb"] = 1000_000_000_000,
        ["kib"] = 1L << 10, ["mib"] = 1L << 20, ["gib"] = 1L << 30, ["tib"] = 1L << 40,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // Largest first, binary before decimal, so 1048576 prints as 1MiB and 500000 as 500kB.
    private static readonly ImmutableArray<(string Name, long Factor)> FormatUnits =
    [
        ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
        ("TB", 1000_000_000_000), ("GB", 1000_000_000), ("MB", 1000_000), ("kB", 1000),
    ];

    public static ByteSize Parse(string text) =>
        TryParse(text, out var size) ? size : throw new FormatException($"'{text}' is not a size; {ExpectedForm}");

    public static bool TryParse(string? text, out ByteSize size)
    {
        size = default;
        var match = SizePattern().Match(text?.Trim() ?? "");
        if (!match.Success || !Units.TryGetValue(match.Groups["unit"].Value, out long factor))
            return false;
        bool hasFraction = match.Groups["number"].Value.Contains('.');
        if (hasFraction && factor == 1)
            return false;
        return TryMultiply(match.Groups["number"].Value, factor, out size);
    }

    public override string ToString()
    {
        foreach (var (name, factor) in FormatUnits)
        {
            if (Bytes >= factor && (decimal)Bytes * 100 % factor == 0)
                return ((decimal)Bytes / factor).ToString("0.##", CultureInfo.InvariantCulture) + name;
        }
        return Bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

    private static bool TryMultiply(string number, long factor, out ByteSize size)
    {
        size = default;
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
            return false;
        decimal bytes = Math.Round(value * factor, MidpointRounding.AwayFromZero);
        if (bytes > long.MaxValue)
            return false;
        size = new ByteSize((long)bytes);
        return true;
    }

    [GeneratedRegex(@"^(?<number>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>[A-Za-z]*)$")]
    private static partial Regex SizePattern();
}
