using System.Text;

namespace Tether.Sdk.Keys;

/// <summary>
/// A git-annex key: <c>BACKEND[-sSIZE][-mMTIME][-SCHUNKSIZE-CCHUNKNUM]--NAME</c>.
/// Parsing is strict: a string that is not a key never becomes a path.
/// </summary>
public sealed record Key
{
    public string Backend { get; }
    public string Name { get; }
    public long? Size { get; }
    public long? MTime { get; }
    public long? ChunkSize { get; }
    public int? ChunkNumber { get; }

    public Key(string backend, string name, long? size = null, long? mtime = null, long? chunkSize = null, int? chunkNumber = null)
    {
        if (!IsValidBackend(backend)) throw new ArgumentException($"invalid key backend '{backend}'", nameof(backend));
        if (!IsValidName(name)) throw new ArgumentException($"invalid key name '{name}'", nameof(name));
        if ((chunkSize is null) != (chunkNumber is null)) throw new ArgumentException("chunk size and number go together");
        Backend = backend; Name = name; Size = size; MTime = mtime; ChunkSize = chunkSize; ChunkNumber = chunkNumber;
    }

    /// <summary>The key of the whole file a chunk key belongs to (itself when not a chunk).</summary>
    public Key Parent => ChunkSize is null ? this : new Key(Backend, Name, Size, MTime);

    /// <summary>True for backends whose name is a content hash that can be verified.</summary>
    public bool IsVerifiable => HashAlgorithmFor(Backend) is not null;

    public override string ToString()
    {
        var sb = new StringBuilder(Backend);
        if (Size is { } s) sb.Append("-s").Append(s);
        if (MTime is { } m) sb.Append("-m").Append(m);
        if (ChunkSize is { } cs) sb.Append("-S").Append(cs).Append("-C").Append(ChunkNumber);
        return sb.Append("--").Append(Name).ToString();
    }

    public static Key Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"not a git-annex key: '{Printable(text)}'");

    public static bool TryParse(string? text, out Key key)
    {
        key = null!;
        if (string.IsNullOrEmpty(text)) return false;
        var sep = text.IndexOf("--", StringComparison.Ordinal);
        if (sep <= 0) return false;
        var name = text[(sep + 2)..];
        var fields = text[..sep].Split('-');
        if (!IsValidBackend(fields[0]) || !IsValidName(name)) return false;
        long? size = null, mtime = null, chunkSize = null; int? chunkNum = null;
        foreach (var field in fields.Skip(1))
        {
            if (field.Length < 2 || !long.TryParse(field.AsSpan(1), System.Globalization.NumberStyles.None, null, out var n)) return false;
            switch (field[0])
            {
                case 's' when size is null: size = n; break;
                case 'm' when mtime is null: mtime = n; break;
                case 'S' when chunkSize is null: chunkSize = n; break;
                case 'C' when chunkNum is null && n <= int.MaxValue: chunkNum = (int)n; break;
                default: return false;
            }
        }
        if ((chunkSize is null) != (chunkNum is null)) return false;
        key = new Key(fields[0], name, size, mtime, chunkSize, chunkNum);
        return true;
    }

    /// <summary>
    /// The hash algorithm a backend's key name is made of, as git-annex names it (SHA256 for SHA256E, SHA3_256 for
    /// SHA3_256E, BLAKE2B256, SKEIN512, ...; the kernel's hashing says whether Tether can compute it);
    /// null if the backend is not a hash.
    /// </summary>
    public static string? HashAlgorithmFor(string backend)
    {
        var algorithm = backend.EndsWith('E') ? backend[..^1] : backend;
        return HashBackends.IsKnown(algorithm) ? algorithm : null;
    }

    /// <summary>WORM and URL keys name no content, so git-annex does not verify them either; only their size is checked.</summary>
    public bool NamesNoContent => Backend is "WORM" or "URL";

    /// <summary>The hex digest part of a hash key's name (without the E-backend extension).</summary>
    public string? HashHex
    {
        get
        {
            if (!IsVerifiable) return null;
            var dot = Name.IndexOf('.');
            return Backend.EndsWith('E') && dot >= 0 ? Name[..dot] : Name;
        }
    }

    private static bool IsValidBackend(string backend) =>
        backend.Length > 0 && backend.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'); // SHA3_256E

    private static bool IsValidName(string name) =>
        name.Length > 0 && !name.Contains('/') && !name.Contains('\n') && !name.Contains('\0')
        && name != "." && name != "..";

    private static string Printable(string? text) =>
        text is null ? "" : text.Replace("\n", "\\n").Replace("\0", "\\0");
}
