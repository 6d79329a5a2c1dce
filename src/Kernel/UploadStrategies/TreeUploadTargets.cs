using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Kernel.Topology;

namespace Tether.Kernel.UploadStrategies;

/// <summary>
/// Strategy <c>tree</c>: a key goes down the minimum-cost arborescence rooted at its origin (see
/// <see cref="ContentOrigin"/>): we upload only to our children in that tree, cheapest first, and each child
/// forwards to its own. Fallbacks, so content never stalls behind one dead link: a remote the tree does not
/// cover (UUID unknown, or not reachable from the origin in the known graph) is always sent the key; and when
/// one of our children is unreachable now (its remote worker failed, or this sync could not reach it), every
/// reachable remote is sent the key (flood) as well as the child (which gets it once it is back).
/// </summary>
/// <remarks>Thread-safe: one git-annex branch reader, used under a lock; the graph is re-read only when the
/// topology or uuid log changes, and trees are kept per origin.</remarks>
public sealed class TreeUploadTargets(AnnexRepository repo, TimeProvider clock, ILogger? log = null) : IUploadTargets, IDisposable
{
    private readonly Lock _lock = new();
    private readonly GitAnnexBranch _branch = new(repo, clock, log);
    private readonly string _here = repo.RequireUuid();
    private readonly Dictionary<string, Arborescence> _trees = [];
    private (string? Topology, string? Uuids) _graphSource;
    private NetworkGraph? _graph;

    public IReadOnlyList<string> Choose(Key key, string path, IReadOnlyList<UploadCandidate> remotes)
    {
        Arborescence tree;
        lock (_lock)
        {
            var origin = ContentOrigin.Of(_branch.Read(LocationLog.PathFor(key))) ?? _here;
            tree = TreeFrom(origin);
        }
        return Select(tree, remotes);
    }

    /// <summary>The choice for a given tree; separate so it can be tested without a repository.</summary>
    public IReadOnlyList<string> Select(Arborescence tree, IReadOnlyList<UploadCandidate> remotes)
    {
        if (!tree.ParentEdges.ContainsKey(_here) && tree.Root != _here)
        {
            log?.LogDebug("Tree from {Root}: this node is not in it; every remote that wants the key is sent it", tree.Root);
            return Flood(remotes, r => r.Wants); // we are not in the tree ourselves: nothing to plan with
        }
        var children = tree.ChildrenOf(_here);
        var byUuid = remotes.Where(r => r.Uuid is not null).GroupBy(r => r.Uuid!).ToDictionary(g => g.Key, g => g.MinBy(r => r.Cost)!);
        // A child that does not want the key still gets it when it must relay it to children of its own.
        var chosen = children.Where(byUuid.ContainsKey).Select(c => byUuid[c]).Where(r => r.Wants || tree.ChildrenOf(r.Uuid!).Count > 0).ToList();
        chosen.AddRange(remotes.Where(r => r.Wants && (r.Uuid is null || !IsInTree(tree, r.Uuid))));
        if (chosen.Any(r => !r.Reachable) || children.Any(c => !byUuid.ContainsKey(c)))
        {
            log?.LogDebug("Tree from {Root}: a child is unreachable ({Unreachable}) or not a remote here ({Missing}); every reachable remote is sent the key",
                tree.Root, string.Join(", ", chosen.Where(r => !r.Reachable).Select(r => r.Name)), string.Join(", ", children.Where(c => !byUuid.ContainsKey(c))));
            chosen.AddRange(remotes.Where(r => r.Reachable && r.Wants));
        }
        var outside = remotes.Where(r => r.Wants && (r.Uuid is null || !IsInTree(tree, r.Uuid))).Select(r => r.Name).ToList();
        if (outside.Count > 0) log?.LogDebug("Tree from {Root}: {Remotes} not in it (uuid unknown or unreachable from the root): sent the key too", tree.Root, string.Join(", ", outside));
        return chosen.DistinctBy(r => r.Name).Select(r => r.Name).ToList();
    }

    private static bool IsInTree(Arborescence tree, string uuid) => uuid == tree.Root || tree.ParentEdges.ContainsKey(uuid);

    private static IReadOnlyList<string> Flood(IReadOnlyList<UploadCandidate> remotes, Func<UploadCandidate, bool> which) =>
        remotes.Where(which).OrderBy(r => r.Cost).Select(r => r.Name).ToList();

    private Arborescence TreeFrom(string origin)
    {
        var source = (_branch.Read(TopologyLog.BranchPath), _branch.Read(UuidLog.FileName));
        if (_graph is null || source != _graphSource)
        {
            _graph = NetworkGraph.From(UuidLog.Descriptions(source.Item2), TopologyLog.Current(source.Item1));
            _graphSource = source;
            _trees.Clear();
        }
        if (!_trees.TryGetValue(origin, out var tree)) _trees[origin] = tree = _graph.TreeFrom(origin);
        return tree;
    }

    public void Dispose() => _branch.Dispose();
}
