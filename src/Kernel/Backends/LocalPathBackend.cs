using Tether.Kernel.Annex;
using Tether.Kernel.Native;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Platform.Hashing;

namespace Tether.Kernel.Backends;

/// <summary>
/// Content of a repository reachable as a local path (a clone or a bare repository on this machine).
/// The receiving side's duties are done here too: uploads are verified before they enter the remote's
/// object store, and the remote's own location log is updated.
/// </summary>
public sealed class LocalPathBackend : IResumableBackend
{
    private readonly AnnexRepository _remote;
    private readonly ObjectStore _store;
    private readonly RemoteDescriptor _descriptor;
    private readonly TimeProvider _clock;

    public LocalPathBackend(RemoteDescriptor descriptor, TimeProvider clock)
    {
        _descriptor = descriptor;
        _clock = clock;
        _remote = AnnexRepository.OpenExact(descriptor.Url);
        _store = new ObjectStore(_remote);
    }

    /// <summary>Only a regular file of the key's size counts as a copy; anything else there (a symlink, FIFO, device, folder) is an error naming it.</summary>
    public Task<bool> HasKeyAsync(Key key, CancellationToken ct)
    {
        try { return Task.FromResult(_store.HasReadableContent(key, Owner)); }
        catch (IOException e) { return Task.FromException<bool>(e); }
    }

    private string Owner => $"{_descriptor.Name} ({_remote.DisplayPath})";

    public async Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        if (_store.Contains(key)) { bytesDone.Report(key.Size ?? 0); return; }
        EnsureStillThere();
        _remote.CreateFolderInGitDir(_remote.TmpDir);
        var tmp = _store.TmpPathFor(key);
        try
        {
            await using var input = NoFollowFile.OpenRegular(Path.GetDirectoryName(sourceFile)!, Path.GetFileName(sourceFile), out var length);
            await StreamCopier.CopyFileAsync(input, length, tmp, resume: true, bytesDone, _descriptor.BandwidthLimit, ct);
        }
        catch (IOException e) when (DiskFull.Is(e))
        {
            File.Delete(tmp); // a kept partial would only keep the remote's disk full
            throw new IOException($"no space left on {_descriptor.Name} ({_remote.DisplayPath}) for {key.Size?.ToString() ?? "its"} bytes; the partial upload was removed", e);
        }
        if (!await KeyHasher.VerifyAsync(key, tmp, ct))
        {
            File.Delete(tmp);
            throw new IOException($"upload of {key} to {_descriptor.Name} did not verify (source changed or corrupt); discarded");
        }
        EnsureStillThere();
        _store.InstallVerified(key, tmp);
        await RecordOnRemoteAsync(key, LocationStatus.Present, ct);
    }

    public async Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        // The remote's store may hold anything (anyone can write a USB stick): links are not followed, only a regular
        // file of the key's size is read, and no further than that size.
        await using var source = _store.OpenContent(key, Owner, out var length);
        await StreamCopier.CopyFileAsync(source, length, destinationFile, resume: true, bytesDone, _descriptor.BandwidthLimit, ct);
    }

    public async Task RemoveAsync(Key key, CancellationToken ct)
    {
        _store.Remove(key);
        await RecordOnRemoteAsync(key, LocationStatus.Absent, ct);
    }

    private async Task RecordOnRemoteAsync(Key key, LocationStatus status, CancellationToken ct)
    {
        if (_remote.ReadUuid() is not { } uuid) return;
        using var branch = new GitAnnexBranch(_remote, _clock);
        await branch.RecordLocationAsync(key, uuid, status, ct);
        await branch.CommitAsync("update", ct);
    }

    /// <summary>
    /// A remote on a drive that was unmounted: its path now leads into the empty mount point. Nothing may be created
    /// there (it would be a fake repository on the host's disk), so the transfer fails instead.
    /// </summary>
    private void EnsureStillThere()
    {
        if (!Directory.Exists(_remote.GitDir)) throw new IOException($"{_descriptor.Name} is not at {_remote.GitDir} any more (its drive was unmounted?)");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
