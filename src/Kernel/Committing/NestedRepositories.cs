namespace Tether.Kernel.Committing;

/// <summary>
/// A git repository inside the work tree (a folder holding <c>.git</c>) is committed as git commits one: a gitlink to its
/// current commit. git's status lists only its folder, so a change anywhere in it stands for that folder.
/// </summary>
internal static class NestedRepositories
{
    /// <summary>The paths, each one inside a nested repository replaced by that repository's folder (the outermost).</summary>
    public static IReadOnlyCollection<string> StandFor(string workTree, IReadOnlyCollection<string> paths)
    {
        var isRepository = new Dictionary<string, bool>(StringComparer.Ordinal);
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths) result.Add(RepositoryHolding(workTree, path, isRepository) ?? path);
        return result.Count == paths.Count && result.SetEquals(paths) ? paths : result;
    }

    private static string? RepositoryHolding(string workTree, string path, Dictionary<string, bool> isRepository)
    {
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var folder = path[..slash];
            if (!isRepository.TryGetValue(folder, out var holds))
            {
                var dotGit = Path.Combine(workTree, folder, ".git");
                isRepository[folder] = holds = Directory.Exists(dotGit) || File.Exists(dotGit);
            }
            if (holds) return folder;
        }
        return null;
    }
}
