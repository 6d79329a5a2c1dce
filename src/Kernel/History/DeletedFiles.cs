using LibGit2Sharp;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.History;

/// <summary>
/// `tether restore --deleted`: what was deleted (and is not back), newest first, found with one `git log --diff-filter=D`
/// walk (renames are not deletions). A folder restores as its last deletion left it: every file deleted within
/// <see cref="SessionWindow"/> of its newest deletion (a folder the watcher saw go may take several commits).
/// </summary>
public sealed class DeletedFiles(AnnexRepository repo, TimeProvider clock)
{
    public static readonly TimeSpan SessionWindow = TimeSpan.FromMinutes(10);

    public async Task<IReadOnlyList<DeletedFile>> ListAsync(string folder, DateTimeOffset? since, CancellationToken ct)
    {
        List<string> options = ["--diff-filter=D"];
        if (since is { } from) options.Add($"--since={from.ToUnixTimeSeconds()}");
        var changes = await new GitLog(repo).ReadAsync(options, folder.Length == 0 ? [] : [folder], ct);
        using var git = repo.OpenGit();
        using var branch = new GitAnnexBranch(repo, clock);
        var places = new ContentPlaces(repo, branch);
        var head = git.Head.Tip;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<DeletedFile>();
        foreach (var change in changes.Where(c => c.IsDeletion))
        {
            if (!seen.Add(change.Path) || head?[change.Path] is not null) continue;
            var (key, size) = FileHistory.Inspect(git, change.OldBlob, change.OldMode);
            result.Add(new DeletedFile(change.Path, change.At, CommitNode.Describe(change.NodeUuid, change.Subject, places.Descriptions),
                change.CommitId, change.OldBlob, change.OldMode, size, key, key is null ? ContentPlace.InGit : places.Of(key)));
        }
        return result;
    }

    /// <summary>The files to bring back for a path the user names: the file itself, or a folder's last deletion.</summary>
    public async Task<IReadOnlyList<DeletedFile>> FindAsync(string path, CancellationToken ct)
    {
        var deleted = (await ListAsync(path, null, ct)).Where(d => path.Length == 0 || d.Path == path || d.Path.StartsWith(path + "/", StringComparison.Ordinal)).ToList();
        if (deleted.Count == 0) return [];
        if (deleted.Any(d => d.Path == path)) return [deleted.First(d => d.Path == path)];
        var newest = deleted.Max(d => d.At);
        return deleted.Where(d => d.At >= newest - SessionWindow).ToList();
    }
}
