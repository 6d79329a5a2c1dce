using System.Text.RegularExpressions;
using Tether.Kernel.Encryption;

namespace Tether.Kernel.Joining;

/// <summary>
/// Which fields an annex:: URL may carry and what each may hold: the remote types Tether can join (rsync with its
/// <c>rsyncurl</c>; external with its <c>externaltype</c> and the helper's own settings), the encryption fields as
/// remote.log holds them, never a local one (<c>name</c>, <c>timestamp</c>, <c>tether-*</c>).
/// </summary>
public static partial class AnnexUrlFields
{
    public const string Type = "type";
    public const string RsyncUrl = "rsyncurl";
    public const string ExternalType = "externaltype";

    public static readonly IReadOnlyList<string> Types = ["rsync", "external"];

    private static readonly string[] Local = ["name", "timestamp"];

    /// <summary>Whether a remote.log field belongs in a URL (the remote's config), not to one node.</summary>
    public static bool Travels(string name) => !Local.Contains(name) && !name.StartsWith("tether-", StringComparison.Ordinal);

    public static bool IsWellFormedName(string name) => NamePattern().IsMatch(name);

    /// <exception cref="AnnexUrlException">The first field that is missing, unknown or bad, named.</exception>
    public static void Check(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var name in fields.Keys)
        {
            if (Local.Contains(name))
                throw new AnnexUrlException($"field '{name}' does not belong in an annex:: URL: {(name == "name" ? "the remote's name here is the NAME given to 'tether remote add'" : "it is written when the remote is recorded")}");
            if (name.StartsWith("tether-", StringComparison.Ordinal))
                throw new AnnexUrlException($"field '{name}' is a setting of one node (a program path, a bound), never taken from a URL");
        }
        var type = fields.GetValueOrDefault(Type) ?? throw new AnnexUrlException("the annex:: URL has no field 'type' (rsync or external)");
        switch (type)
        {
            case "rsync":
                if (fields.GetValueOrDefault(RsyncUrl) is not { Length: > 0 } url) throw new AnnexUrlException("field 'rsyncurl' is missing from the annex:: URL of an rsync remote");
                if (url.StartsWith('-')) throw new AnnexUrlException("field 'rsyncurl' starts with '-': refused (it would read as an rsync option)");
                if (fields.Keys.FirstOrDefault(k => k != Type && k != RsyncUrl && !StoredCipher.Fields.Contains(k)) is { } unknown)
                    throw new AnnexUrlException($"field '{unknown}' is not one tether knows for an rsync remote (known: type, rsyncurl, encryption, cipher, cipherkeys, mac)");
                break;
            case "external":
                if (fields.GetValueOrDefault(ExternalType) is not { } external) throw new AnnexUrlException("field 'externaltype' is missing from the annex:: URL of an external remote");
                if (!ExternalTypePattern().IsMatch(external))
                    throw new AnnexUrlException($"field 'externaltype' is '{AnnexUrl.Printable(external)}': an external type is letters, digits, '.', '_', '-' and '+' (it names git-annex-remote-TYPE)");
                break;
            default:
                throw new AnnexUrlException($"field 'type' is '{AnnexUrl.Printable(type)}', a kind of special remote tether cannot use (it can: {string.Join(", ", Types)})");
        }
        CheckEncryption(fields);
    }

    private static void CheckEncryption(IReadOnlyDictionary<string, string> fields)
    {
        var encryption = fields.GetValueOrDefault(EncryptionSchemes.Field)
            ?? throw new AnnexUrlException("field 'encryption' is missing from the annex:: URL (none, shared or hybrid)");
        if (encryption is "pubkey" or "sharedpubkey")
            throw new AnnexUrlException($"field 'encryption' is {encryption}, git-annex's scheme tether does not support yet (shared and hybrid it does)");
        if (!EncryptionSchemes.TryParse(encryption, out var scheme)) throw new AnnexUrlException($"field 'encryption' is '{AnnexUrl.Printable(encryption)}': none, shared or hybrid");
        if (fields.ContainsKey("pubkeys")) throw new AnnexUrlException("field 'pubkeys' belongs to git-annex's pubkey schemes, which tether does not support yet");
        if (scheme == EncryptionScheme.None)
        {
            foreach (var name in new[] { StoredCipher.CipherField, StoredCipher.KeyIdsField, MacAlgorithm.Field })
                if (fields.ContainsKey(name)) throw new AnnexUrlException($"field '{name}' is given, but field 'encryption' is none: refusing to guess which is meant");
            return;
        }
        if (fields.GetValueOrDefault(MacAlgorithm.Field) is { } mac && !MacAlgorithm.TryParse(mac, out _))
            throw new AnnexUrlException($"field 'mac' is '{AnnexUrl.Printable(mac)}': one of {string.Join(", ", MacAlgorithm.Names)}");
        var cipherText = fields.GetValueOrDefault(StoredCipher.CipherField)
            ?? throw new AnnexUrlException($"field 'cipher' is missing from the annex:: URL (encryption={encryption} needs the remote's cipher)");
        byte[] cipher;
        try { cipher = Convert.FromBase64String(cipherText); }
        catch (FormatException) { throw new AnnexUrlException("field 'cipher' is not base64"); }
        if (scheme == EncryptionScheme.Shared)
        {
            if (cipher.Length <= Cipher.MacPart || cipher.Length > Cipher.MaxLength)
                throw new AnnexUrlException($"field 'cipher' is {cipher.Length} bytes: a shared cipher is more than {Cipher.MacPart} and at most {Cipher.MaxLength}");
            if (fields.ContainsKey(StoredCipher.KeyIdsField)) throw new AnnexUrlException("field 'cipherkeys' is given, but field 'encryption' is shared (hybrid has key ids)");
            return;
        }
        var keys = fields.GetValueOrDefault(StoredCipher.KeyIdsField)
            ?? throw new AnnexUrlException("field 'cipherkeys' is missing from the annex:: URL (encryption=hybrid names the gpg keys its cipher is encrypted to)");
        if (keys.Split(',').FirstOrDefault(k => !KeyIdPattern().IsMatch(k)) is { } bad)
            throw new AnnexUrlException($"field 'cipherkeys' holds '{AnnexUrl.Printable(bad)}', which is no gpg key id (8 to 40 hex digits, comma-separated)");
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9._+-]{1,64}$")]
    private static partial Regex ExternalTypePattern();

    [GeneratedRegex("^[0-9A-Fa-f]{8,40}$")]
    private static partial Regex KeyIdPattern();
}
