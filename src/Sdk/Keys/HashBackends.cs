namespace Tether.Sdk.Keys;

/// <summary>
/// The hash algorithms git-annex names key backends after (Backend/Hash.hs): facts of the key format, whether or not
/// this program can compute them (the kernel's hashing says which it can).
/// </summary>
public static class HashBackends
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512",
        "SHA3_224", "SHA3_256", "SHA3_384", "SHA3_512",
        "BLAKE2B160", "BLAKE2B224", "BLAKE2B256", "BLAKE2B384", "BLAKE2B512",
        "BLAKE2S160", "BLAKE2S224", "BLAKE2S256",
        "BLAKE2BP512", "BLAKE2SP224", "BLAKE2SP256",
        "SKEIN256", "SKEIN512",
    };

    /// <summary>A hash algorithm git-annex names a backend after (e.g. "SHA3_256" for SHA3_256E).</summary>
    public static bool IsKnown(string algorithm) => Names.Contains(algorithm);

    /// <summary>The length of the algorithm's digest in hex digits (-1 when unknown).</summary>
    public static int HexLength(string algorithm) => !IsKnown(algorithm) ? -1 : algorithm switch
    {
        "MD5" => 32,
        "SHA1" => 40,
        _ => int.Parse(new string(algorithm.Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray())) / 4,
    };
}
