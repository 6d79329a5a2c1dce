using Tether.Sdk.Keys;

namespace Tether.Kernel.Encryption;

/// <summary>
/// A remote's decrypted cipher, as git-annex makes it: 512 random bytes in base64 (684 characters and a newline). Its
/// first 256 bytes key the MAC that names keys; the rest, up to the first newline, is the gpg passphrase that encrypts
/// content. Held only in memory; <see cref="ToString"/> never shows it, so it cannot reach a log by accident.
/// </summary>
public sealed class Cipher
{
    /// <summary>git-annex's cipherBeginning: how much of the cipher keys the MAC.</summary>
    public const int MacPart = 256;

    /// <summary>git-annex's cipherSize: the random bytes a new cipher is made of.</summary>
    public const int RandomBytes = 512;

    /// <summary>Bound on what a cipher may be (remote.log is written by any peer).</summary>
    public const int MaxLength = 16 * 1024;

    private readonly byte[] _bytes;

    public Cipher(byte[] bytes)
    {
        if (bytes.Length <= MacPart) throw new InvalidDataException($"the cipher is {bytes.Length} bytes, too short for git-annex's format (more than {MacPart})");
        if (bytes.Length > MaxLength) throw new InvalidDataException($"the cipher is {bytes.Length} bytes, longer than {MaxLength}");
        _bytes = bytes;
    }

    /// <summary>A new cipher in git-annex's form (what <c>gpg --gen-random --armor 1 512</c> prints).</summary>
    public static Cipher Generate() =>
        new(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(RandomBytes)) + "\n"));

    /// <summary>The cipher as stored (for remote.log, base64 again; for hybrid, gpg-encrypted first).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public ReadOnlySpan<byte> MacKey => _bytes.AsSpan(0, MacPart);

    /// <summary>The passphrase line gpg reads on its passphrase fd (what follows the MAC part, up to a newline), newline-terminated.</summary>
    public byte[] PassphraseLine()
    {
        var rest = _bytes.AsSpan(MacPart);
        var newline = rest.IndexOf((byte)'\n');
        var phrase = newline < 0 ? rest : rest[..newline];
        var line = new byte[phrase.Length + 1];
        phrase.CopyTo(line);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>The key's name on the remote: <c>GPGHMACSHA1--&lt;hex&gt;</c>, no size or mtime (they would leak), as git-annex's encryptKey.</summary>
    public Key EncryptKey(Key key, MacAlgorithm mac) => new(mac.KeyBackend, mac.Hex(MacKey, key.ToString()));

    public override string ToString() => "(cipher)";
}
