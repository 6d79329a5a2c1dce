using System.Security.Cryptography;

using Tether.Sdk.Keys;

namespace Tether.Platform.Hashing;

/// <summary>Computes SHA256E keys by streaming a file once, and verifies content against any hash key.</summary>
public static class KeyHasher
{
    public const string DefaultBackend = "SHA256E";
    private const int BufferSize = 1 << 20;

    public static async Task<Key> ComputeSha256EAsync(string path, string? nameForExtension = null, CancellationToken ct = default)
    {
        await using var stream = OpenSequential(path);
        var (hex, size) = await HashStreamAsync(stream, "SHA256", ct);
        return new Key(DefaultBackend, hex + KeyExtension.For(nameForExtension ?? path), size);
    }

    /// <summary>
    /// True when the file's size and hash match the key. WORM and URL keys name no content: only their size is checked.
    /// </summary>
    /// <exception cref="UnverifiableContentException">Tether cannot compute the key's hash (or does not know its backend).</exception>
    public static async Task<bool> VerifyAsync(Key key, string path, CancellationToken ct = default)
    {
        var info = new FileInfo(path);
        if (!info.Exists || (key.Size is { } s && info.Length != s)) return false;
        var algorithm = EnsureVerifiable(key);
        if (algorithm is null) return true;
        await using var stream = OpenSequential(path);
        var (hex, _) = await HashStreamAsync(stream, algorithm, ct);
        return string.Equals(hex, key.HashHex, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The synchronous <see cref="VerifyAsync"/>, for callers that run inside a synchronous git operation (a merge).</summary>
    public static bool Verify(Key key, string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || (key.Size is { } s && info.Length != s)) return false;
        var algorithm = EnsureVerifiable(key);
        if (algorithm is null) return true;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
        using var hash = ContentHash.Create(algorithm);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = stream.Read(buffer)) > 0) hash.Append(buffer, 0, read);
        return string.Equals(hash.HexAndReset(), key.HashHex, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The key's hash algorithm (null for WORM and URL keys); throws when its content could not be verified.</summary>
    /// <exception cref="UnverifiableContentException"/>
    public static string? EnsureVerifiable(Key key)
    {
        if (key.NamesNoContent) return null;
        var algorithm = Key.HashAlgorithmFor(key.Backend)
            ?? throw new UnverifiableContentException($"cannot verify content of {key}: backend {key.Backend} is not one Tether knows; not installed");
        if (!ContentHash.IsSupported(algorithm))
            throw new UnverifiableContentException($"cannot verify content of {key}: backend {key.Backend} not installed");
        return algorithm;
    }

    public static async Task<(string Hex, long Size)> HashStreamAsync(Stream stream, string algorithm, CancellationToken ct)
    {
        using var hash = ContentHash.Create(algorithm);
        var buffer = new byte[BufferSize];
        long size = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            hash.Append(buffer, 0, read);
            size += read;
        }
        return (hash.HexAndReset(), size);
    }

    private static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan | FileOptions.Asynchronous);
}
