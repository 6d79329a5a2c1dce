using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Content;

/// <summary>Turns paths the user names (files or folders, relative to the current folder) into the annexed files they cover.</summary>
public sealed class AnnexedPathResolver(AnnexRepository repo)
{
    public IReadOnlyList<AnnexedFiles.Entry> Resolve(IEnumerable<string> userPaths, string currentDirectory)
    {
        using var git = repo.OpenGit();
        var all = AnnexedFiles.InTree(git.Head.Tip?.Tree).ToList();
        var result = new List<AnnexedFiles.Entry>();
        foreach (var userPath in userPaths)
        {
            var relative = SafePaths.RelativeTo(repo.WorkTree!, Path.Combine(currentDirectory, userPath))
                ?? throw new ArgumentException($"'{userPath}' is outside the repository {repo.WorkTree}");
            var matches = all.Where(e => relative == "" || e.Path == relative || e.Path.StartsWith(relative + "/", StringComparison.Ordinal)).ToList();
            if (matches.Count == 0 && !Exists(Path.Combine(currentDirectory, userPath)) && !all.Any(e => e.Path.StartsWith(relative + "/", StringComparison.Ordinal)))
                throw new ArgumentException($"'{userPath}': no such file or folder");
            if (matches.Count == 0)
                throw new ArgumentException($"'{userPath}' is not an annexed file in the last commit (small files live in git itself; new files need a sync first)");
            result.AddRange(matches);
        }
        return result.DistinctBy(e => e.Path).ToList();
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
