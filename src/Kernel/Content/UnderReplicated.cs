using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;

namespace Tether.Kernel.Content;

/// <summary>
/// The annexed files of the last commit with fewer copies than numcopies (our copy counted from the object store, the
/// others from the location log), for `tether status`. It reads every key's log, so a result is reused while the last commit and
/// the git-annex branch are unchanged, for at most <see cref="Freshness"/> (journalled location changes are not in the branch yet).
/// </summary>
public sealed class UnderReplicated(AnnexRepository repo, Func<int> numCopies, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);
    public const int Shown = 20;

    private readonly Lock _lock = new();
    private (DateTimeOffset At, string? Head, string? AnnexTip, IReadOnlyList<UnderReplicatedFile> Files, int Count)? _last;

    /// <summary>Up to <see cref="Shown"/> files below numcopies (fewest copies first), and how many there are in all.</summary>
    public (IReadOnlyList<UnderReplicatedFile> Files, int Count) Current()
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            using var git = repo.OpenGit();
            using var branch = new GitAnnexBranch(repo, clock);
            var (head, annexTip) = (git.Head.Tip?.Sha, branch.TipId);
            if (_last is { } last && now - last.At < Freshness && last.Head == head && last.AnnexTip == annexTip) return (last.Files, last.Count);
            var (files, count) = Find(git, branch);
            _last = (now, head, annexTip, files, count);
            return (files, count);
        }
    }

    private (IReadOnlyList<UnderReplicatedFile> Files, int Count) Find(LibGit2Sharp.Repository git, GitAnnexBranch branch)
    {
        var wanted = numCopies();
        var here = repo.RequireUuid();
        var store = new ObjectStore(repo);
        var below = new List<UnderReplicatedFile>();
        foreach (var file in AnnexedFiles.InTree(git.Head.Tip?.Tree))
        {
            var copies = branch.PresentUuids(file.Key).Count(u => u != here) + (store.Contains(file.Key) ? 1 : 0);
            if (copies < wanted) below.Add(new UnderReplicatedFile(file.Path, copies, wanted));
        }
        return (below.OrderBy(f => f.Copies).ThenBy(f => f.File, StringComparer.Ordinal).Take(Shown).ToList(), below.Count);
    }
}
