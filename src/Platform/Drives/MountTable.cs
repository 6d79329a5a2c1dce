using System.Globalization;
using System.Text;

namespace Tether.Platform.Drives;

/// <summary>
/// Parses /proc/self/mountinfo: <c>36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue</c>
/// (mount id, parent id, major:minor, root, mount point, options, zero or more optional fields, "-", fs type,
/// source, super options).
/// </summary>
public static class MountTable
{
    public const string SelfPath = "/proc/self/mountinfo";

    public static IReadOnlyList<MountEntry> ReadCurrent() => Parse(File.ReadAllText(SelfPath), SelfPath);

    /// <summary>The mount a path is on: the entry whose mount point is the longest prefix of it (the last such, as mounted over), or null.</summary>
    public static MountEntry? Containing(IReadOnlyList<MountEntry> mounts, string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        MountEntry? best = null;
        foreach (var mount in mounts)
        {
            var point = Path.TrimEndingDirectorySeparator(mount.MountPoint);
            var inside = point == "/" || full == point || full.StartsWith(point + "/", StringComparison.Ordinal);
            if (inside && (best is null || point.Length >= Path.TrimEndingDirectorySeparator(best.MountPoint).Length)) best = mount;
        }
        return best;
    }

    /// <summary>Whether a path is on a network filesystem (see <see cref="MountEntry.IsNetwork"/>); false when the mount table cannot be read.</summary>
    public static bool IsOnNetworkFilesystem(string path)
    {
        try { return Containing(ReadCurrent(), path)?.IsNetwork == true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return false; }
    }

    /// <exception cref="FormatException">A line does not have mountinfo's shape (the message names the line).</exception>
    public static IReadOnlyList<MountEntry> Parse(string text, string source = "mountinfo")
    {
        var entries = new List<MountEntry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            entries.Add(ParseLine(lines[i], source, i + 1));
        }
        return entries;
    }

    private static MountEntry ParseLine(string line, string source, int number)
    {
        var fields = line.Split(' ');
        var separator = Array.IndexOf(fields, "-", 6);
        if (fields.Length < 10 || separator < 0 || fields.Length < separator + 3)
            throw Bad(source, number, line, "expected 'ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS'");
        var device = fields[2].Split(':');
        if (device.Length != 2 || !TryInt(device[0], out var major) || !TryInt(device[1], out var minor)
            || !TryInt(fields[0], out var id) || !TryInt(fields[1], out var parent))
            throw Bad(source, number, line, "the ids and MAJOR:MINOR must be numbers");
        return new MountEntry(id, parent, major, minor, Unescape(fields[3]), Unescape(fields[4]), fields[5],
            fields[6..separator], Unescape(fields[separator + 1]), Unescape(fields[separator + 2]), string.Join(' ', fields[(separator + 3)..]));
    }

    /// <summary>mountinfo writes space, tab, newline and backslash in paths as octal escapes (<c>\040</c>, <c>\011</c>, <c>\012</c>, <c>\134</c>).</summary>
    public static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var bytes = new List<byte>(field.Length);
        var raw = Encoding.UTF8.GetBytes(field);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && IsOctal(raw, i + 1))
            {
                bytes.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else bytes.Add(raw[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(byte[] raw, int at) =>
        at + 2 < raw.Length && raw[at] is >= (byte)'0' and <= (byte)'3' && raw[at + 1] is >= (byte)'0' and <= (byte)'7' && raw[at + 2] is >= (byte)'0' and <= (byte)'7';

    private static bool TryInt(string s, out int value) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static FormatException Bad(string source, int number, string line, string expected) =>
        new($"{source}:{number}: not a mountinfo line ({expected}): {line}");
}
