namespace Tether.Kernel.Configuration;

/// <summary>A transfer rate, written in config files as a size per second: 2MiB/s, 500kB/s.</summary>
public readonly record struct ByteRate(ByteSize PerSecond)
{
    public const string ExpectedForm = "expected a rate such as 2MiB/s or 500kB/s";

    public long BytesPerSecond => PerSecond.Bytes;

    public static ByteRate Parse(string text) =>
        TryParse(text, out var rate) ? rate : throw new FormatException($"'{text}' is not a rate; {ExpectedForm}");

    public static bool TryParse(string? text, out ByteRate rate)
    {
        rate = default;
        string trimmed = text?.Trim() ?? "";
        int slash = trimmed.LastIndexOf('/');
        if (slash < 0 || !trimmed[(slash + 1)..].Trim().Equals("s", StringComparison.OrdinalIgnoreCase))
            return false;
        if (!ByteSize.TryParse(trimmed[..slash], out var size))
            return false;
        rate = new ByteRate(size);
        return true;
    }

    public override string ToString() => $"{PerSecond}/s";
}
