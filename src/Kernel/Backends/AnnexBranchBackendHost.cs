using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Backends;

/// <summary>
/// What a content-only remote's backend may keep in the git-annex branch (state, URLs), in git-annex's own files, for
/// the remote with this UUID; and its log lines, into the daemon's log.
/// </summary>
public sealed class AnnexBranchBackendHost(AnnexRepository repo, string remoteUuid, TimeProvider clock, ILogger log) : IBackendHost
{
    public Task<string?> GetStateAsync(Key key, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        return Task.FromResult(RemoteStateLog.StateOf(branch.Read(RemoteStateLog.PathFor(key)), remoteUuid));
    }

    public async Task SetStateAsync(Key key, string state, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        await branch.ChangeAsync(RemoteStateLog.PathFor(key), old => RemoteStateLog.With(old, remoteUuid, state, clock), ct);
    }

    public async Task SetUrlAsync(Key key, string url, bool present, CancellationToken ct)
    {
        if (url.Contains('\n')) throw new IOException($"a URL for {key} holds a line break; not recorded");
        using var branch = new GitAnnexBranch(repo, clock);
        await branch.ChangeAsync(UrlLog.PathFor(key), old => UrlLog.With(old, url, present, clock), ct);
    }

    public Task<IReadOnlyList<string>> GetUrlsAsync(Key key, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        return Task.FromResult(UrlLog.PresentUrls(branch.Read(UrlLog.PathFor(key))));
    }

    public void Log(BackendLogLevel level, string message)
    {
        switch (level)
        {
            case BackendLogLevel.Debug: log.LogDebug("{Message}", message); break;
            case BackendLogLevel.Information: log.LogInformation("{Message}", message); break;
            default: log.LogWarning("{Message}", message); break;
        }
    }
}
