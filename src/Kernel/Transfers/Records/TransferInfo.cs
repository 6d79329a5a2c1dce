using System.Globalization;
using System.Text;

namespace Tether.Kernel.Transfers.Records;

/// <summary>
/// The content of a transfer info file, exactly as git-annex (Logs/Transfer.hs) reads and writes it:
/// <code>&lt;startT&gt;s[ &lt;bytesDone&gt;]\n&lt;associated file&gt;\n</code>
/// startT is POSIX seconds as Haskell shows a POSIXTime: the fraction has no trailing zeros and no dot when whole
/// (git-annex 10 wrote <c>1795631369.593431913s 491520\nbig\n</c> here). The bytes field is absent until progress is
/// known; the second line is empty when there is no associated file.
/// </summary>
public sealed record TransferInfo(DateTimeOffset StartedAt, long? BytesDone, string? AssociatedFile)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public TransferInfo WithBytes(long? bytes) => this with { BytesDone = bytes };

    /// <summary>The file's text. An associated file with a newline cannot be recorded (git-annex reads one line).</summary>
    public string Format()
    {
        if (AssociatedFile is { } file && (file.Contains('\n') || file.Contains('\0')))
            throw new ArgumentException($"an associated file with a newline cannot be recorded: '{file.Replace("\n", "\\n")}'");
        if (BytesDone is < 0) throw new ArgumentOutOfRangeException(nameof(BytesDone), "bytes done cannot be negative");
        var sb = new StringBuilder(FormatPosixTime(StartedAt));
        if (BytesDone is { } bytes) sb.Append(' ').Append(bytes.ToString(CultureInfo.InvariantCulture));
        return sb.Append('\n').Append(AssociatedFile ?? "").Append('\n').ToString();
    }

    public byte[] ToBytes() => Utf8.GetBytes(Format());

    /// <summary>Parses a file's text; <paramref name="filePath"/> only names the file in the error.</summary>
    public static TransferInfo Parse(string content, string? filePath = null) =>
        TryParse(content, out var info, out var error) ? info : throw new TransferRecordFormatException(filePath, error);

    public static TransferInfo Parse(ReadOnlySpan<byte> content, string? filePath = null) => Parse(Utf8.GetString(content), filePath);

    /// <summary>Reads and parses an info file (FileNotFoundException / DirectoryNotFoundException if it is gone).</summary>
    public static TransferInfo Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>
    /// As tolerant as git-annex's readTransferInfo: the first line is the time then optionally the bytes (further
    /// fields ignored), the second line the associated file (empty: none), anything after it ignored; a missing
    /// final newline is fine.
    /// </summary>
    public static bool TryParse(string content, out TransferInfo info, out string error)
    {
        info = null!;
        if (content.Length == 0) { error = "the file is empty"; return false; }
        var newline = content.IndexOf('\n');
        var first = newline < 0 ? content : content[..newline];
        var rest = newline < 0 ? "" : content[(newline + 1)..];
        var secondEnd = rest.IndexOf('\n');
        var second = secondEnd < 0 ? rest : rest[..secondEnd];

        var bits = first.Split(' ');
        if (!TryParsePosixTime(bits[0], out var started))
        {
            error = $"'{Printable(bits[0])}' is not a start time (POSIX seconds such as 1764092400.123456789s)";
            return false;
        }
        long? bytes = null;
        if (bits.Length > 1 && bits[1].Length > 0)
        {
            if (!long.TryParse(bits[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                error = $"'{Printable(bits[1])}' is not a byte count";
                return false;
            }
            bytes = b;
        }
        info = new TransferInfo(started, bytes, second.Length == 0 ? null : second);
        error = "";
        return true;
    }

    /// <summary>Haskell's show of a POSIXTime: "1795631369.5934319s", "1795631369s".</summary>
    public static string FormatPosixTime(DateTimeOffset time)
    {
        var ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        var sign = ticks < 0 ? "-" : "";
        var abs = (ulong)(ticks < 0 ? -(decimal)ticks : ticks);
        var seconds = abs / TimeSpan.TicksPerSecond;
        var fraction = abs % TimeSpan.TicksPerSecond;
        var sb = new StringBuilder(sign).Append(seconds.ToString(CultureInfo.InvariantCulture));
        if (fraction != 0) sb.Append('.').Append(fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
        return sb.Append('s').ToString();
    }

    /// <summary>
    /// git-annex's parsePOSIXTime: optional sign, digits, optional '.' and digits, optional 's'. Digits beyond .NET's
    /// 100 ns resolution are truncated (git-annex writes nanoseconds).
    /// </summary>
    public static bool TryParsePosixTime(string text, out DateTimeOffset time)
    {
        time = default;
        var s = text.AsSpan();
        if (s.EndsWith("s")) s = s[..^1];
        var negative = s.StartsWith("-");
        if (negative) s = s[1..];
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var frac = dot < 0 ? ReadOnlySpan<char>.Empty : s[(dot + 1)..];
        if (whole.Length == 0 || !IsDigits(whole) || (dot >= 0 && (frac.Length == 0 || !IsDigits(frac)))) return false;
        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        long fractionTicks = 0;
        for (var i = 0; i < 7; i++)
            fractionTicks = fractionTicks * 10 + (i < frac.Length ? frac[i] - '0' : 0);
        try
        {
            var ticks = checked(seconds * TimeSpan.TicksPerSecond + fractionTicks);
            time = DateTimeOffset.UnixEpoch.AddTicks(negative ? -ticks : ticks);
            return true;
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException) { return false; }
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    private static string Printable(string s) => s.Length > 60 ? s[..60] + "…" : s.Replace("\0", "\\0");
}
