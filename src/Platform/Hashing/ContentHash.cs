using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

using Tether.Sdk.Keys;

namespace Tether.Platform.Hashing;

/// <summary>
/// An incremental hash for one of git-annex's hash backends (Backend/Hash.hs): SHA1, SHA2, MD5 from .NET;
/// SHA224, SHA3, BLAKE2B/BLAKE2S and SKEIN from BouncyCastle (so SHA3 does not depend on the OpenSSL at hand).
/// </summary>
public sealed class ContentHash : IDisposable
{
    private static readonly Dictionary<string, Func<IDigest>> Digests = new(StringComparer.Ordinal)
    {
        ["SHA224"] = () => new Sha224Digest(),
        ["SHA3_224"] = () => new Sha3Digest(224), ["SHA3_256"] = () => new Sha3Digest(256),
        ["SHA3_384"] = () => new Sha3Digest(384), ["SHA3_512"] = () => new Sha3Digest(512),
        ["BLAKE2B160"] = () => new Blake2bDigest(160), ["BLAKE2B224"] = () => new Blake2bDigest(224),
        ["BLAKE2B256"] = () => new Blake2bDigest(256), ["BLAKE2B384"] = () => new Blake2bDigest(384),
        ["BLAKE2B512"] = () => new Blake2bDigest(512),
        ["BLAKE2S160"] = () => new Blake2sDigest(160), ["BLAKE2S224"] = () => new Blake2sDigest(224),
        ["BLAKE2S256"] = () => new Blake2sDigest(256),
        ["SKEIN256"] = () => new SkeinDigest(SkeinDigest.SKEIN_256, 256),
        ["SKEIN512"] = () => new SkeinDigest(SkeinDigest.SKEIN_512, 512),
    };

    private static readonly Dictionary<string, HashAlgorithmName> DotNet = new(StringComparer.Ordinal)
    {
        ["SHA1"] = HashAlgorithmName.SHA1, ["SHA256"] = HashAlgorithmName.SHA256, ["SHA384"] = HashAlgorithmName.SHA384,
        ["SHA512"] = HashAlgorithmName.SHA512, ["MD5"] = HashAlgorithmName.MD5,
    };

    private readonly IncrementalHash? _dotNet;
    private readonly IDigest? _digest;

    private ContentHash(IncrementalHash? dotNet, IDigest? digest) { _dotNet = dotNet; _digest = digest; }

    public static bool IsSupported(string algorithm) => DotNet.ContainsKey(algorithm) || Digests.ContainsKey(algorithm);

    /// <exception cref="UnverifiableContentException">Tether has no implementation of the algorithm.</exception>
    public static ContentHash Create(string algorithm)
    {
        if (DotNet.TryGetValue(algorithm, out var name)) return new ContentHash(IncrementalHash.CreateHash(name), null);
        if (Digests.TryGetValue(algorithm, out var make)) return new ContentHash(null, make());
        throw new UnverifiableContentException($"cannot verify content hashed with {algorithm}: not installed");
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_dotNet is not null) _dotNet.AppendData(data);
        else _digest!.BlockUpdate(data);
    }

    public void Append(byte[] data, int offset, int count) => Append(data.AsSpan(offset, count));

    /// <summary>The lowercase hex digest of everything appended; the hash starts over.</summary>
    public string HexAndReset()
    {
        if (_dotNet is not null) return Convert.ToHexStringLower(_dotNet.GetHashAndReset());
        var output = new byte[_digest!.GetDigestSize()];
        _digest.DoFinal(output, 0);
        return Convert.ToHexStringLower(output);
    }

    public void Dispose() => _dotNet?.Dispose();
}
