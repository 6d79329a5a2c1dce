using System.Security.Cryptography;

namespace Tether.Sdk.Keys;

/// <summary>Computes SHA256E keys by streaming a file once, and verifies content against any hash key.</summary>
public static class KeyHasher
{
    public const string DefaultBackend = "SHA256E";
    private const int BufferSize = 1 << 20;

    public static async Task<Key> ComputeSha256EAsync(string path, string? nameForExtension = null, CancellationToken ct = default)
    {
        await using var stream = OpenSequential(path);
        var (hex, size) = await HashStreamAsync(stream, HashAlgorithmName.SHA256, ct);
        return new Key(DefaultBackend, hex + KeyExtension.For(nameForExtension ?? path), size);
    }

    /// <summary>True when the file's size and hash match the key. Keys that are not hashes only check size.</summary>
    public static async Task<bool> VerifyAsync(Key key, string path, CancellationToken ct = default)
    {
        var info = new FileInfo(path);
        if (!info.Exists || (key.Size is { } s && info.Length != s)) return false;
        var algorithm = Key.HashAlgorithmFor(key.Backend);
        if (algorithm is null) return true;
        await using var stream = OpenSequential(path);
        var (hex, _) = await HashStreamAsync(stream, new HashAlgorithmName(algorithm), ct);
        return string.Equals(hex, key.HashHex, StringComparison.OrdinalIgnoreCase);
    }

    public static async Task<(string Hex, long Size)> HashStreamAsync(Stream stream, HashAlgorithmName algorithm, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var buffer = new byte[BufferSize];
        long size = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous);
}
