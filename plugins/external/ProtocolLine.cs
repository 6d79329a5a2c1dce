namespace Tether.Plugins.External;

/// <summary>
/// One line of the external special remote protocol: a command word and its parameters, each separated by one space,
/// a fixed number per command, the last one taking the rest of the line (it may hold spaces; parameters may be empty).
/// </summary>
internal readonly record struct ProtocolLine(string Command, string Rest)
{
    /// <summary>Lines a hostile helper sends are quoted in errors at most this long.</summary>
    private const int QuotedLength = 200;

    public static ProtocolLine Parse(string line)
    {
        var space = line.IndexOf(' ');
        return space < 0 ? new(line, "") : new(line[..space], line[(space + 1)..]);
    }

    /// <summary>
    /// Exactly <paramref name="count"/> parameters, the last taking the rest; null when the line has fewer.
    /// (A message with no parameters has <c>Rest</c> empty and gives none.)
    /// </summary>
    public string[]? Parameters(int count)
    {
        if (count == 0) return [];
        var parts = Rest.Split(' ', count);
        return parts.Length == count ? parts : null;
    }

    /// <summary>The line as it can be quoted in a message: control characters shown as \xNN, cut to a bound.</summary>
    public static string Printable(string line)
    {
        var cut = line.Length > QuotedLength ? line[..QuotedLength] : line;
        var text = string.Concat(cut.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
        return line.Length > QuotedLength ? $"{text}... ({line.Length} characters)" : text;
    }

    public override string ToString() => Rest.Length == 0 ? Command : $"{Command} {Rest}";
}
