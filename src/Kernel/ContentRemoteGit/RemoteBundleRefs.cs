using Tether.Kernel.Git;
using LibGit2Sharp;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// The refs a content remote's bundles gave us, at refs/remotes/NAME/&lt;ref&gt; (&lt;ref&gt; being the remote's
/// refs/heads/&lt;ref&gt;), and the tips kept aside at refs/remotes/NAME/tether-tips/&lt;sha&gt;/&lt;ref&gt;.
/// </summary>
public static class RemoteBundleRefs
{
    public const string TipsFolder = "tether-tips";

    public static string Prefix(string remoteName) => $"refs/remotes/{remoteName}/";

    public static string TipsPrefix(string remoteName) => $"{Prefix(remoteName)}{TipsFolder}/";

    /// <summary>The remote's refs as last fetched or pushed: &lt;ref&gt; (e.g. synced/main) to commit id.</summary>
    public static Dictionary<string, ObjectId> Current(Repository git, string remoteName)
    {
        var prefix = Prefix(remoteName);
        var tips = TipsPrefix(remoteName);
        return git.Refs.Present().Where(r => r.CanonicalName.StartsWith(prefix, StringComparison.Ordinal) && !r.CanonicalName.StartsWith(tips, StringComparison.Ordinal))
            .Select(r => (Name: r.CanonicalName[prefix.Length..], Target: r.ResolveToDirectReference()?.TargetIdentifier))
            .Where(r => r.Target is not null && r.Name != "HEAD")
            .ToDictionary(r => r.Name, r => new ObjectId(r.Target), StringComparer.Ordinal);
    }

    /// <summary>The tips kept aside: full ref name and the remote ref it was a value of.</summary>
    public static List<(string RefName, string RemoteRef, ObjectId Target)> Tips(Repository git, string remoteName)
    {
        var tips = TipsPrefix(remoteName);
        var result = new List<(string, string, ObjectId)>();
        foreach (var r in git.Refs.Present().Where(r => r.CanonicalName.StartsWith(tips, StringComparison.Ordinal)))
        {
            var rest = r.CanonicalName[tips.Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0 || r.ResolveToDirectReference()?.TargetIdentifier is not { } target) continue;
            result.Add((r.CanonicalName, rest[(slash + 1)..], new ObjectId(target)));
        }
        return result;
    }

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="descendant"/> or in its history.</summary>
    public static bool Contains(Repository git, ObjectId descendant, ObjectId ancestor)
    {
        if (descendant == ancestor) return true;
        if (git.Lookup<Commit>(descendant) is not { } d || git.Lookup<Commit>(ancestor) is not { } a) return false;
        return git.ObjectDatabase.FindMergeBase(d, a)?.Id == a.Id;
    }
}
