using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Encryption;

/// <summary>
/// The kernel's encryption layer around a content-only backend, as git-annex's encryptable remotes: the backend only
/// ever sees keys under their MAC names (<c>GPGHMACSHA1--…</c>) and gpg-encrypted content. A store encrypts into a
/// staging file in <c>annex/tmp/tether-encrypted</c>, then hands that to the backend; a retrieve fetches the ciphertext
/// there, then decrypts into the kernel's download file (which the kernel verifies against the key before it enters the
/// object store). A failure removes what it wrote and names the key and the remote. The cipher is read from remote.log
/// once (a hybrid one decrypted with the user's gpg key), when first needed, and kept in memory only.
/// </summary>
public sealed class EncryptedContentBackend : IContentBackend, IWhereisBackend
{
    /// <summary>Ciphertext may exceed its plaintext by gpg's packets; more than this is refused before decryption.</summary>
    private const long Overhead = 1 << 20;

    private readonly IContentBackend _inner;
    private readonly StoredCipher _stored;
    private readonly Gpg _gpg;
    private readonly string _remoteName;
    private readonly string _staging;
    private readonly CipherPin? _pin;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private Cipher? _cipher;

    /// <param name="pin">Checks the opened cipher is the one this node has used with the remote (null: not checked).</param>
    public EncryptedContentBackend(IContentBackend inner, StoredCipher stored, Gpg gpg, string remoteName, string stagingFolder, CipherPin? pin = null)
    {
        _pin = pin;
        _inner = inner;
        _stored = stored;
        _gpg = gpg;
        _remoteName = remoteName;
        _staging = stagingFolder;
        RemoveLeftovers(stagingFolder);
    }

    /// <summary>How long a staging file may stay before it counts as left by a killed process (a transfer removes its own).</summary>
    public static readonly TimeSpan LeftoverAge = TimeSpan.FromDays(1);

    /// <summary>Ciphertext a killed process left behind (kill -9 mid-transfer) goes once it is a day old: nobody resumes it.</summary>
    private static void RemoveLeftovers(string folder)
    {
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
                if (DateTime.UtcNow - file.LastWriteTimeUtc > LeftoverAge) TryDelete(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>The backend it wraps (what sees only MAC names and ciphertext).</summary>
    public IContentBackend Inner => _inner;

    public EncryptionScheme Scheme => _stored.Scheme;

    /// <summary>The name the key has on the remote.</summary>
    public async Task<Key> RemoteKeyAsync(Key key, CancellationToken ct) => (await CipherAsync(ct)).EncryptKey(key, _stored.Mac);

    public async Task<bool> HasKeyAsync(Key key, CancellationToken ct) => await _inner.HasKeyAsync(await RemoteKeyAsync(key, ct), ct);

    public async Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        var cipher = await CipherAsync(ct);
        var remoteKey = cipher.EncryptKey(key, _stored.Mac);
        var size = key.Size ?? new FileInfo(sourceFile).Length;
        var staged = StagingPath(remoteKey);
        try
        {
            try { await _gpg.EncryptSymmetricAsync(cipher.PassphraseLine(), sourceFile, staged, new PhaseProgress(bytesDone, size, false, size), ct); }
            catch (GpgException e) { throw new GpgException($"cannot encrypt {key} for remote '{_remoteName}': {e.Message}; nothing was sent", e); }
            var encrypted = new FileInfo(staged).Length;
            var sending = new PhaseProgress(bytesDone, size, true, encrypted);
            await _inner.StoreAsync(remoteKey, staged, sending, ct);
            sending.Report(encrypted); // all of it, whether or not the backend said so last
        }
        finally { TryDelete(staged); }
    }

    public async Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        var cipher = await CipherAsync(ct);
        var remoteKey = cipher.EncryptKey(key, _stored.Mac);
        var size = key.Size ?? 0;
        var staged = StagingPath(remoteKey);
        var done = false;
        try
        {
            await _inner.RetrieveAsync(remoteKey, staged, new PhaseProgress(bytesDone, size, false, size), ct);
            var encrypted = new FileInfo(staged).Length;
            if (key.Size is { } plain && encrypted > plain + plain / 100 + Overhead)
                throw new GpgException($"{key} from remote '{_remoteName}' (stored as {remoteKey}) is {encrypted} bytes encrypted, far more than its {plain}: refused, not decrypted");
            var decrypting = new PhaseProgress(bytesDone, size, true, Math.Max(1, size));
            try { await _gpg.DecryptSymmetricAsync(cipher.PassphraseLine(), staged, destinationFile, key.Size, decrypting, ct); }
            catch (GpgException e)
            {
                throw new GpgException($"cannot decrypt {key} from remote '{_remoteName}' (stored as {remoteKey}): {e.Message} " +
                                       "(damaged or truncated there, or encrypted with another cipher); nothing was kept", e);
            }
            done = true;
        }
        finally
        {
            TryDelete(staged);
            if (!done) TryDelete(destinationFile); // never a partial plaintext left for the kernel to mistake for a prefix
        }
    }

    public async Task RemoveAsync(Key key, CancellationToken ct) => await _inner.RemoveAsync(await RemoteKeyAsync(key, ct), ct);

    public async Task<string?> WhereisAsync(Key key, CancellationToken ct) =>
        _inner is IWhereisBackend telling ? await telling.WhereisAsync(await RemoteKeyAsync(key, ct), ct) : null;

    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        _opening.Dispose();
    }

    private async Task<Cipher> CipherAsync(CancellationToken ct)
    {
        if (_cipher is { } known) return known;
        await _opening.WaitAsync(ct);
        try
        {
            if (_cipher is null)
            {
                var opened = await _stored.OpenAsync(_gpg, _remoteName, ct);
                _pin?.CheckOrPin(opened);
                _cipher = opened;
            }
            return _cipher;
        }
        finally { _opening.Release(); }
    }

    private string StagingPath(Key remoteKey)
    {
        Directory.CreateDirectory(_staging);
        return Path.Combine(_staging, $"{remoteKey.Name[..Math.Min(16, remoteKey.Name.Length)]}.{Guid.NewGuid():N}");
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
