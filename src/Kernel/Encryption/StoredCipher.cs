namespace Tether.Kernel.Encryption;

/// <summary>
/// A remote's encryption as remote.log records it, git-annex's fields: <c>encryption=shared|hybrid</c>, <c>cipher=</c>
/// (base64 of the cipher itself for shared; of the cipher gpg-encrypted to <c>cipherkeys=</c>, comma-separated long key
/// ids, for hybrid) and <c>mac=</c> (HMACSHA1 when absent). Read from what any peer wrote: bounded, checked.
/// </summary>
public sealed record StoredCipher(EncryptionScheme Scheme, byte[] Stored, IReadOnlyList<string> KeyIds, MacAlgorithm Mac)
{
    public const string CipherField = "cipher";
    public const string KeyIdsField = "cipherkeys";

    /// <summary>Fields that are the kernel's business, never a backend's (a plugin is given none of them).</summary>
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        EncryptionSchemes.Field, CipherField, KeyIdsField, MacAlgorithm.Field, "pubkeys",
    };

    /// <summary>The remote's encryption; null for an unencrypted one.</summary>
    /// <exception cref="InvalidDataException">A scheme Tether cannot use, or damaged fields; the message says which.</exception>
    public static StoredCipher? From(IReadOnlyDictionary<string, string> fields, string remoteName)
    {
        var encryption = fields.GetValueOrDefault(EncryptionSchemes.Field);
        var cipher = fields.GetValueOrDefault(CipherField);
        if (encryption is null or "none" && cipher is null) return null;
        if (encryption is "none") throw new InvalidDataException($"remote '{remoteName}': remote.log says encryption=none but records a cipher; refusing to guess");
        var scheme = encryption switch
        {
            "shared" => EncryptionScheme.Shared,
            "hybrid" => EncryptionScheme.Hybrid,
            null => fields.ContainsKey(KeyIdsField) ? EncryptionScheme.Hybrid : EncryptionScheme.Shared, // git-annex before encryption= was kept
            "pubkey" or "sharedpubkey" => throw new InvalidDataException(
                $"remote '{remoteName}' uses git-annex's encryption={encryption}, which tether does not support yet (shared and hybrid it does); use git annex with it"),
            _ => throw new InvalidDataException($"remote '{remoteName}': unknown encryption={Printable(encryption)} in remote.log"),
        };
        if (cipher is null) throw new InvalidDataException($"remote '{remoteName}': encryption={encryption} but remote.log records no cipher");
        if (cipher.Length > 4 * Cipher.MaxLength) throw new InvalidDataException($"remote '{remoteName}': the cipher in remote.log is {cipher.Length} characters, longer than any cipher");
        byte[] stored;
        try { stored = Convert.FromBase64String(cipher); }
        catch (FormatException) { throw new InvalidDataException($"remote '{remoteName}': the cipher in remote.log is not base64"); }
        var macText = fields.GetValueOrDefault(MacAlgorithm.Field);
        var mac = MacAlgorithm.Default;
        if (macText is not null && !MacAlgorithm.TryParse(macText, out mac))
            throw new InvalidDataException($"remote '{remoteName}': unknown mac={Printable(macText)} in remote.log (known: {string.Join(", ", MacAlgorithm.Names)})");
        var keyIds = fields.GetValueOrDefault(KeyIdsField)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (scheme == EncryptionScheme.Hybrid && keyIds.Length == 0) throw new InvalidDataException($"remote '{remoteName}': encryption=hybrid but no cipherkeys in remote.log");
        return new StoredCipher(scheme, stored, keyIds, mac);
    }

    /// <summary>The cipher itself: as stored for shared, decrypted with one of our secret keys for hybrid.</summary>
    public async Task<Cipher> OpenAsync(Gpg gpg, string remoteName, CancellationToken ct)
    {
        try { return new Cipher(Scheme == EncryptionScheme.Shared ? Stored : await gpg.DecryptSmallAsync(Stored, ct)); }
        catch (InvalidDataException e) { throw new GpgException($"remote '{remoteName}': {e.Message} (remote.log's cipher is damaged)", e); }
        catch (GpgException e)
        {
            throw new GpgException($"cannot decrypt the cipher of remote '{remoteName}' (encryption=hybrid, to gpg keys {string.Join(", ", KeyIds)}): " +
                                   $"is one of their secret keys in this keyring? {e.Message}", e);
        }
    }

    /// <summary>A new cipher for a remote being set up: shared, or hybrid encrypted to the public keys <paramref name="keyId"/> names.</summary>
    public static async Task<StoredCipher> CreateAsync(EncryptionScheme scheme, string? keyId, MacAlgorithm? mac, Gpg gpg, CancellationToken ct)
    {
        var cipher = Cipher.Generate();
        mac ??= MacAlgorithm.Default;
        switch (scheme)
        {
            case EncryptionScheme.Shared:
                return new StoredCipher(scheme, cipher.Bytes.ToArray(), [], mac);
            case EncryptionScheme.Hybrid:
                var keys = (await gpg.FindPublicKeysAsync(keyId ?? throw new ArgumentException("encryption hybrid needs --keyid KEY (a gpg key id, fingerprint or email)"), ct))
                    .Order(StringComparer.Ordinal).ToList();
                return new StoredCipher(scheme, await gpg.EncryptToKeysAsync(cipher.Bytes.ToArray(), keys, ct), keys, mac);
            default:
                throw new ArgumentException($"no cipher for encryption={EncryptionSchemes.Name(scheme)}");
        }
    }

    /// <summary>The remote.log fields, as git-annex writes them (<c>mac=</c> only when not the default, as given to initremote).</summary>
    public IReadOnlyDictionary<string, string> ToFields(bool macGiven)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EncryptionSchemes.Field] = EncryptionSchemes.Name(Scheme),
            [CipherField] = Convert.ToBase64String(Stored),
        };
        if (Scheme == EncryptionScheme.Hybrid) fields[KeyIdsField] = string.Join(',', KeyIds);
        if (macGiven) fields[MacAlgorithm.Field] = Mac.Name;
        return fields;
    }

    /// <summary>For messages: the scheme and key ids, never the cipher.</summary>
    public string Describe() => Scheme == EncryptionScheme.Hybrid ? $"encryption=hybrid to gpg keys {string.Join(", ", KeyIds)}, mac={Mac}" : $"encryption=shared, mac={Mac}";

    public override string ToString() => Describe();

    private static string Printable(string text) => new(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
