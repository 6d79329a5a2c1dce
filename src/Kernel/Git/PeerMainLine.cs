using LibGit2Sharp;

namespace Tether.Kernel.Git;

/// <summary>
/// The name of a peer's main line, as its fetched refs show it: ours when it has a branch of that name, else its one
/// branch (git init names it master, tether init main). A peer's main line is synced with ours whatever its
/// name: we merge its &lt;name&gt; and synced/&lt;name&gt;, and push ours to synced/&lt;name&gt; too, which git-annex merges there.
/// </summary>
public static class PeerMainLine
{
    public static string For(Repository git, string remote, string ours)
    {
        // Only its own branches count: the synced/ ones are what peers (we among them) pushed there.
        var prefix = $"refs/remotes/{remote}/";
        if (git.Refs[prefix + ours] is not null) return ours;
        var branches = git.Refs.Present().Select(r => r.CanonicalName)
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => name[prefix.Length..])
            .Where(name => name is not ("git-annex" or "HEAD") && !name.Contains('/'))
            .ToList();
        return branches.Count == 1 ? branches[0] : ours;
    }

    /// <summary>Our branch and every remote's main line: the synced/ branches peers may push into this repository.</summary>
    public static IReadOnlyList<string> AllNames(Repository git, string ours) =>
        [ours, .. git.Network.Remotes.Select(r => For(git, r.Name, ours)).Where(name => name != ours).Distinct(StringComparer.Ordinal)];
}
