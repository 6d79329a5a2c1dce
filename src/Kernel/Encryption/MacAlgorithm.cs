using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Tether.Kernel.Encryption;

/// <summary>
/// The MAC that names a key on an encrypted remote (git-annex's <c>mac=</c>; HMACSHA1 when not given): the stored name is
/// <c>GPG&lt;MAC&gt;--&lt;lower-case hex of the MAC of the key's full name&gt;</c>, keyed by the cipher's first 256 bytes.
/// </summary>
public sealed record MacAlgorithm(string Name)
{
    public const string Field = "mac";

    public static readonly MacAlgorithm Default = new("HMACSHA1");

    public static readonly IReadOnlyList<string> Names = ["HMACSHA1", "HMACSHA224", "HMACSHA256", "HMACSHA384", "HMACSHA512"];

    public static bool TryParse(string? text, out MacAlgorithm mac)
    {
        mac = Default;
        if (text is null || !Names.Contains(text)) return false;
        mac = new MacAlgorithm(text);
        return true;
    }

    /// <summary>The backend name of the keys it makes, e.g. <c>GPGHMACSHA256</c>.</summary>
    public string KeyBackend => "GPG" + Name;

    public string Hex(ReadOnlySpan<byte> key, string message)
    {
        var data = Encoding.UTF8.GetBytes(message);
        byte[] mac = Name switch
        {
            "HMACSHA1" => HMACSHA1.HashData(key, data),
            "HMACSHA256" => HMACSHA256.HashData(key, data),
            "HMACSHA384" => HMACSHA384.HashData(key, data),
            "HMACSHA512" => HMACSHA512.HashData(key, data),
            "HMACSHA224" => Sha224(key, data),
            _ => throw new InvalidOperationException($"unknown MAC {Name}"),
        };
        return Convert.ToHexStringLower(mac);
    }

    private static byte[] Sha224(ReadOnlySpan<byte> key, byte[] data)
    {
        var hmac = new HMac(new Sha224Digest());
        hmac.Init(new KeyParameter(key.ToArray()));
        hmac.BlockUpdate(data, 0, data.Length);
        var result = new byte[hmac.GetMacSize()];
        hmac.DoFinal(result, 0);
        return result;
    }

    public override string ToString() => Name;
}
