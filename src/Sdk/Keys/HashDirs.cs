using System.Security.Cryptography;
using System.Text;

namespace Tether.Sdk.Keys;

/// <summary>
/// git-annex's two object directory hashings, both from the MD5 of the serialized key
/// (a chunk key uses its parent's). Results end in '/'.
/// </summary>
public static class HashDirs
{
    private const string MixedAlphabet = "0123456789zqjxkmvwgpfZQJXKMVWGPF";

    /// <summary>"abc/def/": the first six hex digits of the MD5 (bare repositories, location logs).</summary>
    public static string Lower(Key key)
    {
        var hex = Convert.ToHexStringLower(Md5(key));
        return $"{hex[..3]}/{hex[3..6]}/";
    }

    /// <summary>"Xy/Zw/": git-annex's mixed-case hashing (non-bare object store, symlink targets).</summary>
    public static string Mixed(Key key)
    {
        var md5 = Md5(key);
        var word = (uint)(md5[0] | md5[1] << 8 | md5[2] << 16 | md5[3] << 24);
        var chars = new char[8];
        // git-annex shifts by 6 bits but masks 5: the quirk is part of the format.
        for (var x = 0; x < 8; x++) chars[x] = MixedAlphabet[(int)((word >> (6 * x)) & 31)];
        for (var x = 0; x < 8; x += 2) (chars[x], chars[x + 1]) = (chars[x + 1], chars[x]);
        return $"{chars[0]}{chars[1]}/{chars[2]}{chars[3]}/";
    }

    private static byte[] Md5(Key key) => MD5.HashData(Encoding.UTF8.GetBytes(key.Parent.ToString()));
}
