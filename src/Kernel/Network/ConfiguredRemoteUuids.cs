using System.Collections.Concurrent;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Network;

/// <summary>Remote UUIDs as remembered in git config (remote.&lt;name&gt;.annex-uuid), read once per remote.</summary>
public sealed class ConfiguredRemoteUuids(AnnexRepository repo)
{
    private readonly ConcurrentDictionary<string, string> _uuids = new();

    public string? Get(string remoteName)
    {
        if (_uuids.TryGetValue(remoteName, out var known)) return known;
        using var git = repo.OpenGit();
        var uuid = git.Config.Get<string>($"remote.{remoteName}.annex-uuid")?.Value;
        if (uuid is not null) _uuids[remoteName] = uuid; // an unknown one is looked up again next time
        return uuid;
    }
}
