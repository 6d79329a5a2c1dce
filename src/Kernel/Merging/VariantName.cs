using System.Security.Cryptography;
using System.Text;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Merging;

/// <summary>git-annex's conflict variant names: "dir/name.variant-XXXX.ext", XXXX the first 4 hex of md5(key).</summary>
public static class VariantName
{
    private const string Marker = ".variant-";

    public static string For(string relativePath, Key key)
    {
        var doubleConflict = relativePath.Contains(Marker, StringComparison.Ordinal);
        var variant = doubleConflict
            ? KeyFileName.Escape(key)
            : Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..4];
        var slash = relativePath.LastIndexOf('/');
        var dir = slash >= 0 ? relativePath[..(slash + 1)] : "";
        var name = relativePath[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        var (stem, ext) = dot >= 0 ? (name[..dot], name[dot..]) : (name, "");
        return dir + stem + Marker + variant + ext;
    }
}
