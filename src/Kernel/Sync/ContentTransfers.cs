using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Sync;

/// <summary>
/// Moves one key's content to or from a remote, safely: downloads land in annex/tmp, are verified,
/// and only then enter the object store; location logs are updated on success.
/// </summary>
public sealed class ContentTransfers(AnnexRepository repo, GitAnnexBranch branch, string ourUuid, ILogger log)
{
    private readonly ObjectStore _store = new(repo);

    /// <summary>
    /// Sends the key to the remote unless the location log or the remote itself says it is there already.
    /// Returns true only when bytes were actually sent.
    /// </summary>
    public async Task<bool> UploadAsync(Key key, RemoteEndpoint remote, CancellationToken ct, IProgress<long>? progress = null)
    {
        var source = _store.FindContent(key);
        if (source is null || remote.Content is null || remote.Uuid is null) return false;
        if (branch.PresentUuids(key).Contains(remote.Uuid)) return false;
        var sent = false;
        if (!await remote.Content.HasKeyAsync(key, ct))
        {
            await remote.Content.StoreAsync(key, source, progress ?? new Progress<long>(), ct);
            log.LogInformation("Sent {Key} to {Remote}", key, remote.Name);
            sent = true;
        }
        await branch.RecordLocationAsync(key, remote.Uuid, LocationStatus.Present, ct);
        return sent;
    }

    /// <summary>Fetches the key from the first remote (cheapest first) that has it. Returns false if none could.</summary>
    public async Task<bool> DownloadAsync(Key key, IEnumerable<RemoteEndpoint> candidates, CancellationToken ct, IProgress<long>? progress = null)
    {
        if (_store.Contains(key)) return true;
        foreach (var remote in candidates.Where(r => r.Content is not null).OrderBy(r => r.Remote.Cost))
        {
            try
            {
                if (!await remote.Content!.HasKeyAsync(key, ct)) continue;
                Directory.CreateDirectory(repo.TmpDir);
                var tmp = _store.TmpPathFor(key);
                await remote.Content.RetrieveAsync(key, tmp, progress ?? new Progress<long>(), ct);
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
                log.LogInformation("Got {Key} from {Remote}", key, remote.Name);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                remote.Errors.Add($"download of {key}: {e.Message}");
                log.LogWarning("Download of {Key} from {Remote} failed: {Error}", key, remote.Name, e.Message);
            }
        }
        return false;
    }
}
