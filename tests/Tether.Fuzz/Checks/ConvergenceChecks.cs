using Tether.Fuzz.Cluster;
using Tether.Fuzz.Driver;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Tether.Platform.Hashing;

namespace Tether.Fuzz.Checks;

/// <summary>
/// The checks after quiescence, each adding the problems it finds: same work tree on every node; every required
/// content (see <see cref="ContentLedger"/>) on every node, as its file or any other path (a variant, a rename);
/// no content the driver never wrote; every annex object matches its key; `git fsck` and `git annex fsck` (the oracle)
/// clean; no temporary file left in a work tree.
/// </summary>
public sealed class ConvergenceChecks(FuzzCluster cluster, ContentLedger ledger)
{
    private static readonly string[] TemporaryMarkers = [WorkTreeOperations.EditorTempMarker, ".tether-link-", ".tether-tmp", "~"];

    public async Task<List<string>> RunAsync(FuzzFigures figures, CancellationToken ct)
    {
        var problems = new List<string>();
        var snapshots = (await Task.WhenAll(cluster.Nodes.Select(NodeSnapshot.TakeAsync))).ToList();
        SameTrees(snapshots, problems);
        ContentKept(snapshots, figures, problems);
        foreach (var node in cluster.Nodes) NoTemporaryFiles(node, snapshots.Single(s => s.Node == node.Name), problems);
        await StopCleanlyAsync(problems);
        foreach (var node in cluster.Nodes)
        {
            await ObjectsMatchTheirKeysAsync(node, problems, ct);
            await GitFsckAsync(node, problems, ct);
            AnnexFsck(node, problems);
        }
        return problems;
    }

    /// <summary>The oracles read repositories at rest: every daemon is stopped (SIGTERM, which must exit 0) first.</summary>
    private async Task StopCleanlyAsync(List<string> problems)
    {
        foreach (var node in cluster.Nodes)
            if (await node.StopAsync() is { } code && code != 0) problems.Add($"tether watch on {node.Name} exited {code} on SIGTERM");
    }

    private static void SameTrees(List<NodeSnapshot> snapshots, List<string> problems)
    {
        var description = TreeDifferences.Describe(snapshots);
        if (description != "work trees agree") problems.Add("work trees differ: " + description);
    }

    private void ContentKept(List<NodeSnapshot> snapshots, FuzzFigures figures, List<string> problems)
    {
        var required = ledger.Required();
        var lost = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, snapshot) in cluster.Nodes.Zip(snapshots))
        {
            var contents = snapshot.Contents(node.Path);
            foreach (var hash in required.Where(h => !contents.Contains(h)))
            {
                lost.Add(hash);
                problems.Add($"content lost on {node.Name}: {hash[..16]} ({ledger.Describe(hash)})");
            }
            foreach (var hash in contents.Where(h => !ledger.WasWritten(h)))
                problems.Add($"{node.Name} holds content the driver never wrote: {hash[..Math.Min(16, hash.Length)]} at " +
                             string.Join(", ", snapshot.Entries.Where(e => e.Value.Contains(hash[..Math.Min(16, hash.Length)])).Select(e => e.Key).Take(3)));
        }
        figures.ContentsRequired = required.Count;
        figures.ContentsLost = lost.Count;
        figures.ContentsWritten = ledger.WrittenCount;
        figures.Unlanded = ledger.Unlanded;
        figures.FilesChecked += snapshots.Sum(s => s.Entries.Count);
    }

    private static void NoTemporaryFiles(FuzzNode node, NodeSnapshot snapshot, List<string> problems)
    {
        foreach (var path in snapshot.Entries.Keys.Concat(WorkTreeListing.Folders(node.Path)))
            if (TemporaryMarkers.Any(m => Path.GetFileName(path).Contains(m, StringComparison.Ordinal)))
                problems.Add($"temporary file left in {node.Name}'s work tree: {path}");
    }

    private static async Task ObjectsMatchTheirKeysAsync(FuzzNode node, List<string> problems, CancellationToken ct)
    {
        var objects = Path.Combine(node.Path, ".git", "annex", "objects");
        if (!Directory.Exists(objects)) return;
        foreach (var file in Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories))
        {
            if (!KeyFileName.TryUnescape(Path.GetFileName(file), out var key))
            {
                problems.Add($"{node.Name}: a file in the object store that is no key: {file}");
                continue;
            }
            if (!await KeyHasher.VerifyAsync(key, file, ct)) problems.Add($"{node.Name}: object {key} fails its hash");
        }
    }

    /// <summary>
    /// git fsck, once no `git gc --auto` (started in the background by receive-pack) runs: fsck beside a repack can
    /// report objects "missing" that were only moving into a pack, so a failure is retried once, a little later.
    /// </summary>
    private static async Task GitFsckAsync(FuzzNode node, List<string> problems, CancellationToken ct)
    {
        string? failure = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await NoGcRunningAsync(node, ct);
            var (code, output) = GitCli.TryRun(node.Path, "fsck", "--no-progress", "--no-dangling");
            var clean = code == 0 && !output.Contains("error", StringComparison.OrdinalIgnoreCase) && !output.Contains("missing", StringComparison.OrdinalIgnoreCase);
            if (clean) return;
            failure = $"git fsck on {node.Name} exited {code}: {output}";
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
        }
        problems.Add(failure!);
    }

    private static async Task NoGcRunningAsync(FuzzNode node, CancellationToken ct)
    {
        var gcPid = Path.Combine(node.Path, ".git", "gc.pid");
        for (var waited = 0; waited < 60 && File.Exists(gcPid); waited++) await Task.Delay(500, ct);
    }

    private static void AnnexFsck(FuzzNode node, List<string> problems)
    {
        if (!GitCli.HasGitAnnex) return;
        var (code, output) = GitCli.TryRun(node.Path, "annex", "fsck", "--quiet");
        if (code != 0) problems.Add($"git annex fsck on {node.Name} exited {code}: {output}");
    }
}
