using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Content;

/// <summary>`tether whereis`: which repositories have a key, by the location log (this one: by its object store), named by description and remote name.</summary>
public sealed class WhereIs(AnnexRepository repo, TimeProvider clock)
{
    public IReadOnlyList<KeyLocation> Locate(Key key)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        using var git = repo.OpenGit();
        var here = repo.RequireUuid();
        var descriptions = branch.Descriptions();
        var remoteNames = git.Network.Remotes
            .Select(r => (r.Name, Uuid: git.Config.Get<string>($"remote.{r.Name}.annex-uuid")?.Value))
            .Where(r => r.Uuid is not null).ToDictionary(r => r.Uuid!, r => r.Name);
        // Our own copy is what the object store holds, not what the log says (the object may have been deleted by hand).
        var holders = branch.PresentUuids(key).Where(u => u != here).ToList();
        if (new ObjectStore(repo).Contains(key)) holders.Add(here);
        return holders
            .Select(u => new KeyLocation(u, descriptions.GetValueOrDefault(u, ""), remoteNames.GetValueOrDefault(u), u == here))
            .OrderByDescending(l => l.IsHere).ThenBy(l => l.Description, StringComparer.Ordinal).ToList();
    }
}
