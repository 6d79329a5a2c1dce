using System.Text.RegularExpressions;
using Tether.Tests.Support;

namespace Tether.Fuzz.Cluster;

/// <summary>
/// The nodes and how they are connected: a star whose hub n0 has every other node as a remote (local paths through
/// cuttable symlinks, the last node over ssh when there is an sshd), and every other node has the hub as its remote.
/// What one spoke commits reaches the others through the hub's merge and push, and content through the hub.
/// </summary>
public sealed class FuzzCluster : IAsyncDisposable
{
    private readonly SshdFixture? _sshd;
    private readonly SshdCut? _sshdCut;

    public IReadOnlyList<FuzzNode> Nodes { get; }
    public IReadOnlyList<ICut> Cuts { get; }
    public string Root { get; }

    private FuzzCluster(string root, IReadOnlyList<FuzzNode> nodes, IReadOnlyList<ICut> cuts, SshdFixture? sshd, SshdCut? sshdCut)
    {
        Root = root; Nodes = nodes; Cuts = cuts; _sshd = sshd; _sshdCut = sshdCut;
    }

    public static async Task<FuzzCluster> CreateAsync(string root, FuzzSettings settings, CancellationToken ct)
    {
        if (settings.Nodes is < 3 or > 5) throw new ArgumentOutOfRangeException(nameof(settings), "3 to 5 nodes");
        var sshd = settings.UseSsh ? new SshdFixture() : null;
        if (sshd?.Unavailable is { } why) { sshd.Dispose(); throw new InvalidOperationException($"the test sshd could not run: {why}"); }
        var environment = sshd?.Environment ?? new Dictionary<string, string>();
        var names = Enumerable.Range(0, settings.Nodes).Select(i => $"n{i}").ToList();
        var nodes = names.Select(n => new FuzzNode(n, Path.Combine(root, n), environment)).ToList();
        foreach (var node in nodes) await InitAsync(node, settings);

        var links = Directory.CreateDirectory(Path.Combine(root, "links")).FullName;
        var cuts = new List<ICut>();
        var hub = nodes[0];
        for (var i = 1; i < nodes.Count; i++)
        {
            var spoke = nodes[i];
            var overSsh = sshd is not null && i == nodes.Count - 1;
            var hubToSpoke = overSsh ? $"{SshdFixture.TrustedHost}:{spoke.Path}" : Link(links, hub, spoke, cuts);
            await RemoteAddAsync(hub, spoke.Name, hubToSpoke);
            await RemoteAddAsync(spoke, hub.Name, Link(links, spoke, hub, cuts));
        }
        var sshdCut = sshd is null ? null : new SshdCut(sshd);
        if (sshdCut is not null) cuts.Add(sshdCut);
        var cluster = new FuzzCluster(root, nodes, cuts, sshd, sshdCut);
        foreach (var node in nodes) await node.StartAsync(ct);
        return cluster;
    }

    private static string Link(string links, FuzzNode from, FuzzNode to, List<ICut> cuts)
    {
        var link = Path.Combine(links, $"{from.Name}-to-{to.Name}");
        File.CreateSymbolicLink(link, to.Path);
        cuts.Add(new LinkCut(link, to.Path));
        return link;
    }

    /// <summary>tether init, then the fuzz's settings: a low large-file threshold (both kinds of file are exercised),
    /// failed pushes retried every 2 s, and the mass-deletion guard out of the way (folder deletions are ops here;
    /// the guard has its own tests).</summary>
    private static async Task InitAsync(FuzzNode node, FuzzSettings settings)
    {
        // Half the nodes add large files locked, half unlocked (tether init's default): both modes meet on every path.
        string[] mode = node.Name[^1] % 2 == 1 ? ["--locked"] : [];
        Require(await CliRunner.RunAsync(Path.GetDirectoryName(node.Path)!, ["init", .. mode, node.Path, "--description", node.Name]));
        var config = Path.Combine(node.Path, ".tether", "config.yml");
        var text = File.ReadAllText(config);
        text = Regex.Replace(text, "larger_than: .*", $"larger_than: {settings.LargeFileThreshold}");
        text = Regex.Replace(text, "push_retry_interval: .*", "push_retry_interval: 2s");
        text = Regex.Replace(text, "deletion_guard_min_files: .*", "deletion_guard_min_files: 1000000");
        File.WriteAllText(config, text);
    }

    private static async Task RemoteAddAsync(FuzzNode node, string name, string url) =>
        Require(await CliRunner.RunAsync(node.Path, "remote", "add", name, url));

    private static void Require(CliRunner.Result result)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException(result.ToString());
    }

    /// <summary>Every cut restored and every daemon running.</summary>
    public async Task HealAsync(CancellationToken ct)
    {
        foreach (var cut in Cuts.Where(c => c.IsCut)) await cut.RestoreAsync(ct);
        foreach (var node in Nodes.Where(n => !n.IsRunning)) await node.StartAsync(ct);
    }

    public string DescribeAll(int lines = 60) => string.Join("\n", Nodes.Select(n => n.Describe(lines)));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) node.Dispose();
        foreach (var cut in Cuts.OfType<LinkCut>()) await cut.RestoreAsync(CancellationToken.None);
        _sshdCut?.Dispose();
        _sshd?.Dispose();
    }
}
