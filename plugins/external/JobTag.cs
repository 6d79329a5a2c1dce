using System.Globalization;

namespace Tether.Plugins.External;

/// <summary>
/// The ASYNC extension's framing (git-annex's <c>async_appendix</c>): once both sides named ASYNC in EXTENSIONS, every
/// message either way is <c>J &lt;job&gt; &lt;message&gt;</c>, the job being a positive number git-annex picks;
/// only <c>ERROR</c> is sent untagged.
/// </summary>
internal static class JobTag
{
    /// <summary>Job numbers are at most this many digits (git-annex's are one per parallel slot).</summary>
    private const int MaxDigits = 9;

    public static string Wrap(int job, string message) => $"J {job.ToString(CultureInfo.InvariantCulture)} {message}";

    /// <summary>The job number and the message of a <c>J n message</c> line; false for any other line.</summary>
    public static bool TryUnwrap(string line, out int job, out string message)
    {
        job = 0;
        message = "";
        if (!line.StartsWith("J ", StringComparison.Ordinal)) return false;
        var space = line.IndexOf(' ', 2);
        if (space < 0 || space == line.Length - 1) return false;
        var number = line.AsSpan(2, space - 2);
        if (number.Length is 0 or > MaxDigits || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out job) || job == 0) return false;
        message = line[(space + 1)..];
        return true;
    }
}
