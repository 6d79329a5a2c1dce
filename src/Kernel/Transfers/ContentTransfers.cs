using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.Native;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers;
using Tether.Kernel.Transfers.Records;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Kernel.Remotes;
using Tether.Platform.Hashing;

namespace Tether.Kernel.Transfers;

/// <summary>
/// Moves one key's content to or from a remote, safely: downloads land in annex/tmp, are verified,
/// and only then enter the object store; location logs are updated on success. Every transfer holds its
/// git-annex transfer record (and its fcntl lock) for its life, so Tether and git-annex processes never
/// run the same transfer twice, and a key is never sent to a local remote that is fetching it from us.
/// </summary>
public sealed class ContentTransfers(AnnexRepository repo, GitAnnexBranch branch, string ourUuid, TimeProvider clock, ILogger log)
{
    private readonly ObjectStore _store = new(repo);
    private readonly TransferRecordStore _records = new(repo, clock, log);

    /// <summary>Transfers skipped because another process runs them (or the reverse one) right now: retry later.</summary>
    public int Busy { get; private set; }

    /// <summary>
    /// Sends the key to the remote unless the location log or the remote itself says it is there already.
    /// Returns true only when bytes were actually sent.
    /// </summary>
    public async Task<bool> UploadAsync(Key key, RemoteEndpoint remote, CancellationToken ct, IProgress<long>? progress = null, string? file = null)
    {
        var source = _store.FindContent(key);
        if (source is null || remote.Content is null || remote.Uuid is null) return false;
        if (branch.PresentUuids(key).Contains(remote.Uuid)) return false;
        if (RemoteRuns(remote, TransferDirection.Download, key)) return Skip(key, remote, "it is fetching it from us right now");
        using var record = _records.TryBegin(new TransferId(TransferDirection.Upload, remote.Uuid, key), file);
        if (record is null) return Skip(key, remote, "another process is sending it");
        // The receiving side's record, as git-annex-shell would write it there: the remote's daemon sees it.
        var remoteRecords = RemoteRecords(remote);
        using var receiving = remoteRecords?.TryBegin(new TransferId(TransferDirection.Download, ourUuid, key), file);
        if (remoteRecords is not null && receiving is null) return Skip(key, remote, "it is fetching it from us right now");
        var sent = false;
        if (await PresenceAsync(remote, key, ct) != true) // a remote that cannot tell is sent the key: storing it again is harmless
        {
            log.LogDebug("Sending {Key} to {Remote}", key, remote.Name);
            await EnsureIntactAsync(key, source, file, ct);
            await remote.Content.StoreAsync(key, source, Both(progress, Both(record, receiving)), ct);
            log.LogInformation("Sent {Key} to {Remote}", key, remote.Name);
            FillPeersPointerFile(remote, key, file);
            sent = true;
        }
        await branch.RecordLocationAsync(key, remote.Uuid, LocationStatus.Present, ct);
        record.Complete();
        receiving?.Complete();
        return sent;
    }

    /// <summary>
    /// After a download, as git-annex's assistant does after a transfer: the copies on transfer points (cloud remotes)
    /// that every node wanting the file no longer needs are dropped, so the bucket does not grow for ever. Our own
    /// copy was just verified; a failure to drop is only logged (the next download of it, anywhere, tries again).
    /// </summary>
    private async Task LeaveTransferPointsAsync(Key key, string file, IEnumerable<RemoteEndpoint> candidates, CancellationToken ct)
    {
        var policy = TransferPoints.TransferPointPolicy.Read(branch, ourUuid);
        if (!policy.HasTransferPoints) return;
        foreach (var point in candidates.Where(c => c.Content is not null && policy.IsTransferPoint(c.Uuid)).DistinctBy(c => c.Uuid))
        {
            var present = branch.PresentUuids(key);
            if (!present.Contains(point.Uuid!) || !policy.CanLeave(file, present)) continue;
            try
            {
                await point.Content!.RemoveAsync(key, ct);
                await branch.RecordLocationAsync(key, point.Uuid!, LocationStatus.Absent, ct);
                log.LogInformation("Dropped {File} from {Remote}, a transfer point: every node that wants it has it", file, point.Name);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                log.LogWarning("Could not drop {File} from the transfer point {Remote}: {Error}", file, point.Name, e.Message);
            }
        }
    }

    /// <summary>
    /// A peer on a local path got the content straight into its store, so nothing of its own moved it in: its unlocked
    /// file at that path, still a pointer file, is filled as its own get would (a Tether peer's scanner, or git-annex's
    /// recvkey, does the same), never over what its user saved there.
    /// </summary>
    private void FillPeersPointerFile(RemoteEndpoint remote, Key key, string? file)
    {
        if (file is null || !remote.Remote.IsLocalPath) return;
        var peerPath = Path.GetFullPath(remote.Remote.LocalPath, repo.WorkTree ?? repo.GitDir);
        try
        {
            if (AnnexRepository.TryOpenWorkTree(peerPath) is { } peer && !ThroughALink(peerPath, file)) UnlockedContent.Populate(peer, file, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogDebug("Could not fill {File} in {Remote}'s work tree: {Error}", file, remote.Name, e.Message);
        }
    }

    /// <summary>True when a folder on the way to the file in a peer's work tree is a link: a peer's links are never followed.</summary>
    private static bool ThroughALink(string root, string relative)
    {
        var folder = root;
        foreach (var part in relative.Split('/')[..^1])
        {
            folder = Path.Combine(folder, part);
            if (new FileInfo(folder).LinkTarget is not null) return true;
        }
        return false;
    }

    /// <summary>
    /// Checks an object against its key before it leaves: a locked file's link lets root (or a careless chmod) write
    /// into the object, and such content must never spread. A bad object is quarantined and recorded absent here.
    /// </summary>
    private async Task EnsureIntactAsync(Key key, string source, string? file, CancellationToken ct)
    {
        var stamp = FileIdentity.StampOf(source); // taken before the hash: a write during it leaves another stamp
        if (repo.VerifiedObjects.Vouches(key, stamp)) return;
        try
        {
            if (await KeyHasher.VerifyAsync(key, source, ct))
            {
                repo.VerifiedObjects.Remember(key, stamp);
                return;
            }
        }
        catch (UnverifiableContentException) { return; } // a backend Tether cannot hash: sent as it is, the receiver decides
        _store.Quarantine(key);
        await branch.RecordLocationAsync(key, ourUuid, LocationStatus.Absent, ct);
        var what = file is null ? key.ToString() : $"{file} ({key})";
        var message = $"the content of {what} here does not match its key (written to through its link?): moved to {_store.BadPathFor(key)}, not sent; fetched again from a remote that has it";
        log.LogError("{Message}", message);
        throw new CorruptObjectException(key, message);
    }

    /// <summary>
    /// Whether the remote has the key; null when it cannot tell (its check failed: e.g. a helper answering
    /// CHECKPRESENT-UNKNOWN). git-annex does not ask before a download either; a drop never takes "cannot tell" as a copy.
    /// </summary>
    private async Task<bool?> PresenceAsync(RemoteEndpoint remote, Key key, CancellationToken ct)
    {
        try { return await remote.Content!.HasKeyAsync(key, ct); }
        catch (IOException e) when (!DiskFull.Is(e))
        {
            log.LogDebug("{Remote} cannot tell whether it has {Key} ({Reason}); going on as if it might", remote.Name, key, e.Message);
            return null;
        }
    }

    private bool Skip(Key key, RemoteEndpoint remote, string why)
    {
        Busy++;
        log.LogInformation("Not moving {Key} with {Remote} now: {Why}", key, remote.Name, why);
        return false;
    }

    /// <summary>Whether a local remote's own transfer records show it moving this key with us, in that direction.</summary>
    private bool RemoteRuns(RemoteEndpoint remote, TransferDirection direction, Key key)
    {
        try { return RemoteRecords(remote)?.IsRunning(new TransferId(direction, ourUuid, key)) == true; }
        catch (IOException) { return false; }
    }

    /// <summary>The transfer records of a remote on a local path (null for remotes elsewhere: their own side writes them).</summary>
    private TransferRecordStore? RemoteRecords(RemoteEndpoint remote) =>
        remote.Remote.IsLocalPath && AnnexRepository.TryOpen(remote.Remote.LocalPath, out var other)
            ? new TransferRecordStore(other, clock, log) : null;

    private static IProgress<long> Both(IProgress<long>? first, IProgress<long>? second) =>
        first is null ? second ?? new Progress<long>() : second is null ? first : new Progress2(first, second);

    private sealed class Progress2(IProgress<long> a, IProgress<long> b) : IProgress<long>
    {
        public void Report(long value) { a.Report(value); b.Report(value); }
    }

    /// <summary>Why the last <see cref="DownloadAsync"/> failed on a remote that had the key (e.g. the disk is full); null if none did.</summary>
    public string? LastDownloadError { get; private set; }

    /// <summary>Fetches the key from the first remote (cheapest first) that has it. Returns false if none could.</summary>
    public async Task<bool> DownloadAsync(Key key, IEnumerable<RemoteEndpoint> candidates, CancellationToken ct, IProgress<long>? progress = null, string? file = null)
    {
        LastDownloadError = null;
        if (_store.Contains(key)) return true;
        try { KeyHasher.EnsureVerifiable(key); }
        catch (UnverifiableContentException e)
        {
            LastDownloadError = e.Message; // nothing is fetched that could not be verified
            log.LogError("{Message}", e.Message);
            return false;
        }
        foreach (var remote in candidates.Where(r => r.Content is not null).OrderBy(r => r.Remote.Cost))
        {
            try
            {
                if (await PresenceAsync(remote, key, ct) == false) continue; // cannot tell: try it, the download is verified
                if (RemoteRuns(remote, TransferDirection.Upload, key)) { Skip(key, remote, "it is sending it to us right now"); continue; }
                using var record = remote.Uuid is null ? null : _records.TryBegin(new TransferId(TransferDirection.Download, remote.Uuid, key), file);
                if (record is null) { Skip(key, remote, "another process is fetching it"); continue; }
                var tmp = _store.TmpPathFor(key);
                try
                {
                    repo.CreateFolderInGitDir(repo.TmpDir);
                    if (remote.Content is not IResumableBackend && File.Exists(tmp)) File.Delete(tmp);
                    var resumed = File.Exists(tmp) && new FileInfo(tmp).Length > 0;
                    await remote.Content!.RetrieveAsync(key, tmp, Both(progress, record), ct);
                    if (resumed && !await KeyHasher.VerifyAsync(key, tmp, ct))
                    {
                        log.LogWarning("Resumed download of {Key} from {Remote} failed verification (a damaged partial file?); fetching it whole", key, remote.Name);
                        File.Delete(tmp);
                        await remote.Content.RetrieveAsync(key, tmp, Both(progress, record), ct);
                    }
                }
                catch (IOException e) when (DiskFull.Is(e))
                {
                    // Nothing to resume into: a kept partial would only keep the disk full (and fail the record, the journal, git).
                    File.Delete(tmp);
                    throw new IOException($"no space left on the device of {repo.DisplayPath} for {key.Size?.ToString() ?? "its"} bytes; the partial download was removed", e);
                }
                if (!await KeyHasher.VerifyAsync(key, tmp, ct))
                {
                    File.Delete(tmp);
                    var message = $"content of {key} from {remote.Name} failed verification; discarded";
                    remote.Errors.Add(message);
                    log.LogError("{Message}", message);
                    continue;
                }
                _store.InstallVerified(key, tmp);
                await branch.RecordLocationAsync(key, ourUuid, LocationStatus.Present, ct);
                if (file is not null && repo.WorkTree is not null) UnlockedContent.Populate(repo, file, key);
                record.Complete();
                log.LogInformation("Got {Key} from {Remote}", key, remote.Name);
                if (file is not null) await LeaveTransferPointsAsync(key, file, candidates, ct);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                var what = file is null ? key.ToString() : $"{file} ({key})";
                LastDownloadError = $"download from {remote.Name} failed: {e.Message}";
                remote.Errors.Add($"download of {what}: {e.Message}");
                log.LogWarning("Download of {File} from {Remote} failed: {Error}", what, remote.Name, e.Message);
            }
        }
        return false;
    }
}
