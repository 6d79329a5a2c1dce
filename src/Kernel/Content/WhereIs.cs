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
        // remote.NAME.annex-uuid, for git remotes and special remotes alike (a special remote has no url to list it by).
        var remoteNames = git.Config
            .Where(e => e.Key.StartsWith("remote.", StringComparison.Ordinal) && e.Key.EndsWith(".annex-uuid", StringComparison.Ordinal))
            .GroupBy(e => e.Value).ToDictionary(g => g.Key, g => g.First().Key["remote.".Length..^".annex-uuid".Length]);
        // Our own copy is what the object store holds, not what the log says (the object may have been deleted by hand).
        var holders = branch.PresentUuids(key).Where(u => u != here).ToList();
        if (new ObjectStore(repo).Contains(key)) holders.Add(here);
        return holders
            .Select(u => new KeyLocation(u, descriptions.GetValueOrDefault(u, ""), remoteNames.GetValueOrDefault(u), u == here))
            .OrderByDescending(l => l.IsHere).ThenBy(l => l.Description, StringComparer.Ordinal).ToList();
    }
}
