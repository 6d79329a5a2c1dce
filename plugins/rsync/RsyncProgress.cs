using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tether.Plugins.Rsync;

/// <summary>
/// Turns rsync's <c>--info=progress2 --no-h</c> output (updates separated by '\r', e.g.
/// <c>  21921792  10%   20.01MB/s    0:00:09</c>) into byte counts. The count includes a resumed prefix.
/// </summary>
public sealed partial class RsyncProgress(IProgress<long> bytesDone)
{
    private readonly StringBuilder _pending = new();

    public long Last { get; private set; } = -1;

    /// <summary>From <c>--stats</c>: bytes this side sent and received over the transfer (null until rsync reports them).</summary>
    public long? BytesSent { get; private set; }
    public long? BytesReceived { get; private set; }

    public void Feed(string chunk)
    {
        foreach (var c in chunk)
        {
            if (c is '\r' or '\n') { Flush(); continue; }
            _pending.Append(c);
        }
    }

    public void Flush()
    {
        var line = _pending.ToString();
        _pending.Clear();
        var stats = StatsLine().Match(line);
        if (stats.Success)
        {
            var value = long.Parse(stats.Groups["bytes"].Value, CultureInfo.InvariantCulture);
            if (stats.Groups["what"].Value == "sent") BytesSent = value; else BytesReceived = value;
            return;
        }
        var match = ProgressLine().Match(line);
        if (!match.Success || !long.TryParse(match.Groups["bytes"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)) return;
        if (bytes == Last) return;
        Last = bytes;
        bytesDone.Report(bytes);
    }

    [GeneratedRegex(@"^Total bytes (?<what>sent|received): (?<bytes>\d+)")]
    private static partial Regex StatsLine();

    [GeneratedRegex(@"^\s*(?<bytes>\d+)\s+\d+%")]
    private static partial Regex ProgressLine();
}
