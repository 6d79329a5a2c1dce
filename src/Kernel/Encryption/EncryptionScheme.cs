namespace Tether.Kernel.Encryption;

/// <summary>
/// How a content-only remote's content is encrypted, as git-annex's <c>encryption=</c> in remote.log names it:
/// <c>none</c>; <c>shared</c> (the cipher is in remote.log, anyone with the repository can decrypt); <c>hybrid</c> (the
/// cipher is in remote.log encrypted to the gpg keys in <c>cipherkeys=</c>). git-annex's <c>pubkey</c> and
/// <c>sharedpubkey</c> are recognised and refused (Tether does not write or read them yet).
/// </summary>
public enum EncryptionScheme
{
    None,
    Shared,
    Hybrid,
}

public static class EncryptionSchemes
{
    public const string Field = "encryption";

    public static string Name(EncryptionScheme scheme) => scheme switch
    {
        EncryptionScheme.Shared => "shared",
        EncryptionScheme.Hybrid => "hybrid",
        _ => "none",
    };

    /// <summary>What the user may give to <c>--encryption</c>.</summary>
    public static bool TryParse(string? text, out EncryptionScheme scheme)
    {
        scheme = text switch { "none" => EncryptionScheme.None, "shared" => EncryptionScheme.Shared, "hybrid" => EncryptionScheme.Hybrid, _ => (EncryptionScheme)(-1) };
        return Enum.IsDefined(scheme);
    }
}
