using System.Globalization;

namespace Tether.Plugins.External;

/// <summary>
/// Whether a helper is still doing something while it says nothing: the bytes read and written by every process of
/// its process group (<c>/proc/PID/io</c>'s rchar and wchar), so an upload through a helper that sends no PROGRESS
/// (git-annex-remote-rclone) is not taken for a hang while rclone works. Linux only; elsewhere it never moves.
/// </summary>
internal sealed class HelperActivity(int processGroup)
{
    private long _last = -1;

    /// <summary>True when the group's I/O count changed since the last call.</summary>
    public bool Moved()
    {
        var now = Count();
        var moved = _last >= 0 && now != _last;
        _last = now;
        return moved;
    }

    private long Count()
    {
        long total = 0;
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                var name = Path.GetFileName(dir);
                if (name.Length == 0 || !name.All(char.IsAsciiDigit) || GroupOf(dir) != processGroup) continue;
                total += IoBytes(dir);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return total;
    }

    /// <summary>The process group field of /proc/PID/stat (the fifth, after the parenthesised command name).</summary>
    private static int GroupOf(string dir)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 2 && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var group) ? group : -1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException) { return -1; }
    }

    private static long IoBytes(string dir)
    {
        try
        {
            long sum = 0;
            foreach (var line in File.ReadLines(Path.Combine(dir, "io")))
                if ((line.StartsWith("rchar: ", StringComparison.Ordinal) || line.StartsWith("wchar: ", StringComparison.Ordinal))
                    && long.TryParse(line.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    sum += n;
            return sum;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }
}
