using Tether.Fuzz.Cluster;

namespace Tether.Fuzz.Checks;

/// <summary>
/// After the driver stops: every cut restored, every daemon running, every node poked (again every 10 s); then wait,
/// bounded, until every node has committed everything, all HEAD trees are the same and every annexed file's content is
/// present everywhere.
/// </summary>
public static class Quiescence
{
    private static readonly TimeSpan PokeEvery = TimeSpan.FromSeconds(10);

    /// <summary>Null when quiet within the timeout; else why not, with each node's daemon.log tail.</summary>
    public static async Task<string?> WaitAsync(FuzzCluster cluster, TimeSpan timeout, Action<string> log, CancellationToken ct)
    {
        await cluster.HealAsync(ct);
        var deadline = DateTime.UtcNow + timeout;
        var nextPoke = DateTime.MinValue;
        var started = DateTime.UtcNow;
        while (true)
        {
            if (DateTime.UtcNow >= nextPoke)
            {
                foreach (var node in cluster.Nodes) await node.PokeAsync(ct);
                nextPoke = DateTime.UtcNow + PokeEvery;
            }
            var snapshots = (await Task.WhenAll(cluster.Nodes.Select(NodeSnapshot.TakeAsync))).ToList();
            var why = WhyNotQuiet(cluster, snapshots);
            if (why is null)
            {
                log($"quiet after {(DateTime.UtcNow - started).TotalSeconds:0} s");
                return null;
            }
            if (DateTime.UtcNow > deadline)
                return $"not quiet within {timeout.TotalSeconds:0} s: {why}\n{TreeDifferences.Describe(snapshots)}\n{cluster.DescribeAll()}";
            await Task.Delay(1000, ct);
        }
    }

    private static string? WhyNotQuiet(FuzzCluster cluster, List<NodeSnapshot> snapshots)
    {
        if (cluster.Nodes.FirstOrDefault(n => !n.IsRunning) is { } down) return $"the daemon on {down.Name} is not running";
        if (snapshots.FirstOrDefault(s => !s.Clean) is { } dirty) return $"{dirty.Node} has uncommitted changes";
        if (snapshots.Select(s => s.HeadTree).Distinct().Count() > 1)
            return "HEAD trees differ: " + string.Join(", ", snapshots.Select(s => $"{s.Node} {s.HeadTree[..Math.Min(10, s.HeadTree.Length)]}"));
        if (snapshots.FirstOrDefault(s => s.MissingContent.Count > 0) is { } lacking)
            return $"{lacking.Node} lacks the content of {lacking.MissingContent.Count} annexed file(s), e.g. {lacking.MissingContent[0]}";
        return null;
    }
}
