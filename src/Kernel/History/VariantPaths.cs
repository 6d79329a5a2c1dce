namespace Tether.Kernel.History;

/// <summary>Reads git-annex's variant names back (see Merging/VariantName): the path a variant stands for, and its code.</summary>
public static class VariantPaths
{
    public const string Marker = ".variant-";

    public static bool IsVariant(string path) => FileName(path).Contains(Marker, StringComparison.Ordinal);

    /// <summary>"dir/notes.variant-1a2b.txt" → "dir/notes.txt" (a variant of a variant too: the stem before the first marker).</summary>
    public static string BaseOf(string path)
    {
        var name = FileName(path);
        var marker = name.IndexOf(Marker, StringComparison.Ordinal);
        if (marker < 0) return path;
        var lastDot = name.LastIndexOf('.');
        var ext = lastDot > marker ? name[lastDot..] : "";
        return path[..^name.Length] + name[..marker] + ext;
    }

    /// <summary>"notes.variant-1a2b.txt" → "1a2b".</summary>
    public static string CodeOf(string path)
    {
        var name = FileName(path);
        var marker = name.IndexOf(Marker, StringComparison.Ordinal);
        if (marker < 0) return "";
        var rest = name[(marker + Marker.Length)..];
        var dot = rest.IndexOf('.');
        return dot >= 0 ? rest[..dot] : rest;
    }

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
