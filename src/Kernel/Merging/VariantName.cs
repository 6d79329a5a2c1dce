using System.Security.Cryptography;
using System.Text;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Merging;

/// <summary>
/// git-annex's conflict variant names: "dir/name.variant-XXXX.ext", XXXX the first 4 hex of md5(key); a name that is
/// already a variant (a double conflict) gets the whole escaped key instead. A name longer than 200 bytes (variants of
/// variants of variants, found by the fuzz: past the file system's 255-byte limit, or too close to it for git's
/// "name.lock" and "name~HEAD") is "stem.variant-XXXXXXXX.ext" instead, the stem cut before its first variant marker
/// and 8 hex of md5(key): still deterministic, so every node agrees.
/// </summary>
public static class VariantName
{
    private const string Marker = ".variant-";
    private const int MaxNameBytes = 200;

    public static string For(string relativePath, Key key)
    {
        var slash = relativePath.LastIndexOf('/');
        var dir = slash >= 0 ? relativePath[..(slash + 1)] : "";
        var name = relativePath[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        var (stem, ext) = dot >= 0 ? (name[..dot], name[dot..]) : (name, "");
        var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(key.ToString())));
        var doubleConflict = relativePath.Contains(Marker, StringComparison.Ordinal);
        var variant = stem + Marker + (doubleConflict ? KeyFileName.Escape(key) : hash[..4]) + ext;
        if (Encoding.UTF8.GetByteCount(variant) <= MaxNameBytes) return dir + variant;
        var marker = stem.IndexOf(Marker, StringComparison.Ordinal);
        var root = marker >= 0 ? stem[..marker] : stem;
        return dir + root + Marker + hash[..8] + ext;
    }

    /// <summary>
    /// The names a version of <paramref name="relativePath"/> may take, best first, for when the first is already used
    /// by another file: its variant name, the variant of that (the whole key), then numbered ones. Deterministic, so
    /// every node that sees the same merged tree picks the same name.
    /// </summary>
    public static IEnumerable<string> Candidates(string relativePath, Key key)
    {
        var first = For(relativePath, key);
        yield return first;
        var second = For(first, key);
        if (second != first) yield return second;
        var dot = second.LastIndexOf('.');
        var slash = second.LastIndexOf('/');
        var (stem, ext) = dot > slash + 1 ? (second[..dot], second[dot..]) : (second, "");
        for (var n = 2; n < 100; n++) yield return $"{stem}-{n}{ext}";
    }
}
