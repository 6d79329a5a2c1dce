using System.Text;
using Microsoft.Extensions.Logging;

namespace Tether.Kernel.AnnexBranch;

/// <summary>
/// Reads a git-annex branch file within bounds: any peer writes that branch, and a 64 MB uuid.log once took
/// 1.5 GB of memory. A file is read up to <see cref="MaxBytesFor"/> (its excess ignored), a line over
/// <see cref="MaxLineLength"/> is dropped, and a line dated beyond now + <see cref="MaxClockSkew"/> is dated 0s
/// instead, so a forged far-future record (say, for our own UUID) never wins over the real ones. Each is
/// warned about naming the file and the bound.
/// </summary>
public sealed class BoundedLogText(TimeProvider clock, ILogger log)
{
    public const long MaxLogBytes = 1024 * 1024;
    public const long MaxLocationLogBytes = 256 * 1024;
    public const int MaxLineLength = 64 * 1024;
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromDays(1);
    private const string TimestampField = "timestamp=";

    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <summary>Location logs are one per key and hold a line per repository: a far smaller bound.</summary>
    public static long MaxBytesFor(string path) => LocationLog.TryKeyFromPath(path, out _) ? MaxLocationLogBytes : MaxLogBytes;

    /// <summary>
    /// The bounded text of <paramref name="path"/> from a stream of <paramref name="size"/> bytes;
    /// <paramref name="version"/> (a blob id) keeps a version from being warned about twice.
    /// </summary>
    public string Read(Stream stream, long size, string path, string version)
    {
        var cap = MaxBytesFor(path);
        var bytes = ReadAtMost(stream, Math.Min(size, cap));
        var text = Encoding.UTF8.GetString(bytes);
        var problems = new List<string>();
        if (size > cap)
        {
            var lastNewline = text.LastIndexOf('\n');
            text = lastNewline < 0 ? "" : text[..(lastNewline + 1)];
            problems.Add($"it is {size} bytes, only the first {cap} are read");
        }
        text = Filter(text, problems);
        if (problems.Count > 0 && _warned.Add(path + "\0" + version))
            log.LogWarning("git-annex branch file {File}: {Problems}", path, string.Join("; ", problems));
        return text;
    }

    private string Filter(string text, List<string> problems)
    {
        var futureLimit = AnnexTimestamp.Now(clock).Seconds + (decimal)MaxClockSkew.TotalSeconds;
        var result = new StringBuilder(text.Length);
        int tooLong = 0, futureDated = 0, lineNumber = 0, firstBad = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length > MaxLineLength) { tooLong++; firstBad = firstBad == 0 ? lineNumber : firstBad; continue; }
            var kept = line;
            if (TimestampSpan(line) is var (start, length) && length > 0
                && AnnexTimestamp.TryParse(line.Substring(start, length), out var time) && time.Seconds > futureLimit)
            {
                kept = line[..start] + "0s" + line[(start + length)..];
                futureDated++;
                firstBad = firstBad == 0 ? lineNumber : firstBad;
            }
            result.Append(kept).Append('\n');
        }
        if (result.Length > 0) result.Length--; // Split gave one more piece than there were newlines
        if (tooLong > 0) problems.Add($"{tooLong} line(s) over {MaxLineLength} characters ignored (the first is line {firstBad})");
        if (futureDated > 0) problems.Add($"{futureDated} line(s) dated more than {MaxClockSkew.TotalHours:0} hours ahead counted as the oldest (the first is line {firstBad})");
        return result.ToString();
    }

    /// <summary>Where a line's timestamp is: a last field "timestamp=T" (uuid.log and its kin), else a first field "T" (location logs).</summary>
    private static (int Start, int Length)? TimestampSpan(string line)
    {
        var lastSpace = line.LastIndexOf(' ');
        if (lastSpace >= 0 && string.CompareOrdinal(line, lastSpace + 1, TimestampField, 0, TimestampField.Length) == 0)
            return (lastSpace + 1 + TimestampField.Length, line.Length - lastSpace - 1 - TimestampField.Length);
        var firstSpace = line.IndexOf(' ');
        return firstSpace > 0 ? (0, firstSpace) : null;
    }

    private static byte[] ReadAtMost(Stream stream, long count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count && stream.Read(buffer, read, (int)(count - read)) is var n && n > 0) read += n;
        return read == count ? buffer : buffer[..read];
    }
}
