using System.Collections.Concurrent;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Remotes;

/// <summary>
/// Remote UUIDs as remembered in git config (remote.&lt;name&gt;.annex-uuid), read once per remote (an unknown
/// one too: callers prefer the UUID of the remote's open endpoint, which is learnt when it is first reached).
/// </summary>
public sealed class ConfiguredRemoteUuids(AnnexRepository repo)
{
    private readonly ConcurrentDictionary<string, string?> _uuids = new();

    public string? Get(string remoteName) => _uuids.GetOrAdd(remoteName, name =>
    {
        using var git = repo.OpenGit();
        return git.Config.Get<string>($"remote.{name}.annex-uuid")?.Value;
    });
}
