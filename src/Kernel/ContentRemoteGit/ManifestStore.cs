using System.Text;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// Reads and writes a remote's manifest through its content backend, as git-remote-annex does: the same key is rewritten,
/// which a backend may not do in place, so the key is removed and stored again, and a backup key
/// (<c>GITMANIFEST--&lt;uuid&gt;.bak</c>) is written so that at no moment are both missing. Reading takes the main key, else
/// the backup.
/// </summary>
public sealed class ManifestStore(IContentBackend backend, string remoteUuid, string remoteName, string scratchFolder)
{
    private Key Main => GitRemoteAnnexKeys.Manifest(remoteUuid);
    private Key Backup => GitRemoteAnnexKeys.BackupManifest(remoteUuid);

    private const int ReadPasses = 5;

    /// <summary>The manifest on the remote, or null when the remote holds no git repository yet.</summary>
    /// <remarks>
    /// A writer removes and stores each key in turn, so a key seen present may be gone when it is read: the other is read
    /// then, and both again (a few passes) when both went in the meantime.
    /// </remarks>
    public async Task<GitManifest?> ReadAsync(CancellationToken ct)
    {
        for (var pass = 1; ; pass++)
        {
            var anyPresent = false;
            Exception? failure = null;
            foreach (var key in new[] { Main, Backup })
            {
                var present = await Presence.OfAsync(backend, key, ct);
                if (present == false) continue;
                anyPresent |= present == true;
                try { return await ReadKeyAsync(key, ct); }
                catch (Exception e) when (e is IOException && e is not ManifestRefusedException)
                {
                    // Most likely removed between the check and the read (a writer's remove-then-store): read on. A remote
                    // that cannot tell whether it has the key and cannot send it is taken not to have it.
                    if (present == true) failure = e;
                }
            }
            if (!anyPresent && failure is null)
            {
                if (pass >= 2) return null; // twice neither: none (once could be a writer between its removes and stores)
                continue;
            }
            if (pass >= ReadPasses)
                throw new IOException($"remote '{remoteName}': the manifest could not be read (or kept changing while it was) ({failure?.Message})", failure);
        }
    }

    private async Task<GitManifest> ReadKeyAsync(Key key, CancellationToken ct)
    {
        var temp = ScratchFile("manifest-in");
        try
        {
            await backend.RetrieveAsync(key, temp, new Progress<long>(), ct);
            var length = new FileInfo(temp).Length;
            if (length > GitManifest.MaxBytes)
                throw new ManifestRefusedException($"remote '{remoteName}': {key} is {length} bytes, more than a manifest may be ({GitManifest.MaxBytes}); refused");
            var text = await File.ReadAllTextAsync(temp, Encoding.UTF8, ct);
            try { return GitManifest.Parse(text, remoteUuid, $"remote '{remoteName}': {key}"); }
            catch (IOException e) { throw new ManifestRefusedException(e.Message); }
        }
        finally { File.Delete(temp); }
    }

    public async Task WriteAsync(GitManifest manifest, CancellationToken ct)
    {
        var temp = ScratchFile("manifest-out");
        try
        {
            await File.WriteAllTextAsync(temp, manifest.Format(), new UTF8Encoding(false), ct);
            if (await Presence.OfAsync(backend, Backup, ct) != false) // cannot tell: as if there
            {
                await ReplaceAsync(Main, temp, ct);
                await ReplaceAsync(Backup, temp, ct);
            }
            else
            {
                await backend.StoreAsync(Backup, temp, new Progress<long>(), ct);
                await ReplaceAsync(Main, temp, ct);
            }
        }
        finally { File.Delete(temp); }
    }

    private async Task ReplaceAsync(Key key, string file, CancellationToken ct)
    {
        await backend.RemoveAsync(key, ct);
        await backend.StoreAsync(key, file, new Progress<long>(), ct);
    }

    private string ScratchFile(string what)
    {
        Directory.CreateDirectory(scratchFolder);
        return Path.Combine(scratchFolder, $"{what}-{Guid.NewGuid():N}");
    }
}
