using Tether.Kernel.Configuration;
using Tether.Kernel.Control;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;

namespace Tether.Cli.Map;

/// <summary>
/// What the map knows now about this repository's own remotes, beyond the topology log (whose "last reached" is
/// refreshed only every few minutes): whether each is online, and when its link was last used. From the running daemon's
/// status when there is one (its last push and pull, an unmounted drive); else a local remote's folder is looked at, and
/// a remote on another machine is unknown (null).
/// </summary>
public sealed record MapLiveState(IReadOnlyDictionary<string, RemoteLiveness> ByUuid)
{
    public static readonly MapLiveState None = new(new Dictionary<string, RemoteLiveness>());

    public RemoteLiveness? Of(string uuid) => ByUuid.GetValueOrDefault(uuid);

    public static async Task<MapLiveState> ReadAsync(AnnexRepository repo, TetherConfig config, CancellationToken ct)
    {
        var status = (await ControlClient.SendAsync(repo, new ControlRequest(ControlCommand.Status), ct))?.Status;
        using var git = repo.OpenGit();
        var result = new Dictionary<string, RemoteLiveness>(StringComparer.Ordinal);
        foreach (var remote in RemoteConfigMapping.RemotesFrom(config, null))
        {
            if (git.Config.Get<string>($"remote.{remote.Name}.annex-uuid")?.Value is not { } uuid) continue;
            result[uuid] = status?.Remotes.FirstOrDefault(r => r.Name == remote.Name) is { } seen ? FromDaemon(seen) : FromDisk(repo, remote);
        }
        return new MapLiveState(result);
    }

    private static RemoteLiveness FromDaemon(RemoteStatus r)
    {
        var ok = new[] { (r.LastPushOk, r.LastPushAt), (r.LastPullOk, r.LastPullAt) }.Where(x => x.Item1 == true).Select(x => x.Item2).Max();
        var online = r.Unavailable is not null ? false : r.LastPushOk == false || r.LastPullOk == false ? false : ok is not null ? true : (bool?)null;
        var why = r.Unavailable ?? (r.LastPushOk == false ? r.LastPushError : r.LastPullOk == false ? r.LastPullError : null);
        return new RemoteLiveness(online, why, ok);
    }

    private static RemoteLiveness FromDisk(AnnexRepository repo, Remote remote)
    {
        if (!remote.IsLocalPath) return new RemoteLiveness(null, null, null);
        var path = Path.GetFullPath(remote.LocalPath, repo.WorkTree ?? repo.GitDir);
        return AnnexRepository.TryOpen(path, out _) ? new RemoteLiveness(true, null, null) : new RemoteLiveness(false, $"{path} is not there (unmounted?)", null);
    }
}

/// <param name="Online">True: reached now; false: not (with <paramref name="Why"/>); null: not known without trying.</param>
/// <param name="LastUsed">The daemon's last successful push or pull over this link, when it has one.</param>
public sealed record RemoteLiveness(bool? Online, string? Why, DateTimeOffset? LastUsed);
