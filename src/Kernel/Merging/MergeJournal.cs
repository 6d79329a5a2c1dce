using System.Text;
using LibGit2Sharp;

namespace Tether.Kernel.Merging;

/// <summary>
/// What a merge takes out of the work tree, written just before each swap: a process killed between the swap and the
/// check of what came out (kill -9, a power cut) leaves a user's save in the merge's temp folder under a random name,
/// and <see cref="MergeLeftovers"/> needs to know its path and which versions it may be to give it back. One line per
/// swap: the temp path, the work-tree path (both base64: names are data), the version the tree had and the one the
/// merge puts there (mode:blob, or '-'). Each line is one write(2): a kill never loses it.
/// </summary>
internal sealed class MergeJournal(string tmpFolder) : IDisposable
{
    public const string FileName = "journal";
    private const int MaxBytes = 64 << 20;

    /// <summary>One swap: where the entry went, where it was, and the two versions it is disposable as.</summary>
    public sealed record Entry(string Taken, string Path, (Mode Mode, ObjectId Id)? Old, (Mode Mode, ObjectId Id)? New);

    private FileStream? _stream;

    public void Record(string taken, string path, ConflictVersion? old, ConflictVersion? @new)
    {
        _stream ??= new FileStream(Path.Combine(tmpFolder, FileName), FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _stream.Write(Encoding.ASCII.GetBytes($"{Base64(taken)}\t{Base64(path)}\t{Version(old)}\t{Version(@new)}\n"));
    }

    /// <summary>The entries recorded in <paramref name="tmpFolder"/>, by temp path; a line that does not parse is skipped.</summary>
    public static Dictionary<string, Entry> Read(string tmpFolder)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var file = Path.Combine(tmpFolder, FileName);
        if (!File.Exists(file) || new FileInfo(file).Length > MaxBytes) return entries;
        foreach (var line in File.ReadLines(file))
            if (TryParse(line) is { } entry) entries[entry.Taken] = entry;
        return entries;
    }

    public static void Clear(string tmpFolder) => File.Delete(Path.Combine(tmpFolder, FileName));

    public void Dispose() => _stream?.Dispose();

    private static Entry? TryParse(string line)
    {
        var fields = line.Split('\t');
        if (fields.Length != 4) return null;
        try { return new Entry(FromBase64(fields[0]), FromBase64(fields[1]), ParseVersion(fields[2]), ParseVersion(fields[3])); }
        catch (FormatException) { return null; }
    }

    private static string Version(ConflictVersion? v) => v is null ? "-" : $"{(int)v.Mode}:{v.Id.Sha}";

    private static (Mode, ObjectId)? ParseVersion(string field)
    {
        if (field == "-") return null;
        var colon = field.IndexOf(':');
        if (colon < 0 || !int.TryParse(field[..colon], out var mode) || !ObjectId.TryParse(field[(colon + 1)..], out var id))
            throw new FormatException(field);
        return ((Mode)mode, id);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string FromBase64(string text) => Encoding.UTF8.GetString(Convert.FromBase64String(text));
}
