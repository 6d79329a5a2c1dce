using Tether.Kernel.Repositories;
using Tether.Sdk.Backends;

namespace Tether.Kernel.Encryption;

/// <summary>
/// Where the encryption layer meets the rest of the kernel: which remote.log fields a backend is given (none of the
/// encryption ones: it sees only ciphertext) and the wrapping of a content-only remote's backend when its record says
/// encryption=shared or hybrid.
/// </summary>
public static class RemoteEncryption
{
    /// <summary>Settings without the encryption fields (cipher, cipherkeys, encryption, mac): what a backend may see.</summary>
    public static IReadOnlyDictionary<string, string> WithoutEncryption(IReadOnlyDictionary<string, string> fields) =>
        fields.Where(f => !StoredCipher.Fields.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <summary>Only the encryption fields of a record.</summary>
    public static IReadOnlyDictionary<string, string> EncryptionFields(IReadOnlyDictionary<string, string> fields) =>
        fields.Where(f => StoredCipher.Fields.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <summary>
    /// The backend, wrapped when <paramref name="recorded"/> says it is encrypted; its cipher is checked against the one
    /// this node pinned for the remote (<see cref="CipherPin"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The record names a scheme Tether cannot use or is damaged: the remote is not used (never in plaintext).</exception>
    public static IContentBackend Wrap(IContentBackend backend, IReadOnlyDictionary<string, string> recorded, AnnexRepository repo, string remoteName, string remoteUuid)
    {
        StoredCipher? stored;
        try { stored = StoredCipher.From(recorded, remoteName); }
        catch (InvalidDataException e) { throw new InvalidOperationException(e.Message, e); }
        if (stored is null) return backend;
        return new EncryptedContentBackend(backend, stored, new Gpg(GpgSettings.Read(repo, remoteName)), remoteName, StagingFolder(repo),
            new CipherPin(repo, remoteName, remoteUuid));
    }

    /// <summary>Where ciphertext waits on its way: inside <c>annex/tmp</c>, removed after each transfer.</summary>
    public static string StagingFolder(AnnexRepository repo) => Path.Combine(repo.TmpDir, "tether-encrypted");
}
