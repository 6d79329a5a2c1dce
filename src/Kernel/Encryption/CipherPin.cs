using System.Security.Cryptography;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Encryption;

/// <summary>
/// The cipher this node uses with an encrypted remote, pinned in its git config (<c>remote.NAME.tether-cipher</c> =
/// <c>&lt;remote uuid&gt; &lt;sha256 of the decrypted cipher&gt;</c>) the first time it is used, or when a node joins
/// with a URL. remote.log travels with the git-annex branch, which any peer writes: a newer line with another cipher
/// would make this node name keys and encrypt content with a cipher someone else chose, and no longer find what is
/// stored (a wrong cipher gives other MAC names, so nothing fails by itself). A cipher that is not the pinned one is
/// refused instead, before anything is read or sent. Re-encrypting a hybrid cipher to more keys
/// (<c>git annex enableremote NAME keyid+=KEY</c>) keeps the same cipher, so it stays accepted.
/// </summary>
public sealed class CipherPin(AnnexRepository repo, string remoteName, string remoteUuid)
{
    public static string ConfigKey(string remoteName) => $"remote.{remoteName}.tether-cipher";

    /// <summary>Pins <paramref name="cipher"/> if nothing is pinned for this remote's UUID, else checks it is the pinned one.</summary>
    /// <exception cref="GpgException">Another cipher is pinned for this remote: nothing may be read or sent with this one.</exception>
    public void CheckOrPin(Cipher cipher)
    {
        if (!Check(cipher)) Pin(cipher);
    }

    /// <summary>Whether <paramref name="cipher"/> is pinned for this remote (false: nothing is pinned for its UUID yet).</summary>
    /// <exception cref="GpgException">Another cipher is pinned for this remote.</exception>
    public bool Check(Cipher cipher)
    {
        using var git = repo.OpenGit();
        if (git.Config.Get<string>(ConfigKey(remoteName))?.Value?.Split(' ', 2) is not [var uuid, var pinned] || uuid != remoteUuid) return false;
        if (pinned == Fingerprint(cipher)) return true;
        throw new GpgException(
            $"remote '{remoteName}' (uuid {remoteUuid}): the cipher remote.log records for it is not the one this node has used with it " +
            "(remote.log was changed: by a peer, by hand, or damaged); nothing is read from it or sent to it with that cipher. " +
            $"If the new cipher is meant, run 'git config --unset {ConfigKey(remoteName)}' and sync again");
    }

    public void Pin(Cipher cipher)
    {
        using var git = repo.OpenGit();
        git.Config.Set(ConfigKey(remoteName), $"{remoteUuid} {Fingerprint(cipher)}");
    }

    private static string Fingerprint(Cipher cipher) => Convert.ToHexStringLower(SHA256.HashData(cipher.Bytes));
}
