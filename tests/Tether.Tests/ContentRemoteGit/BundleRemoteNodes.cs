using Tether.Kernel.ContentRemoteGit;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>
/// Nodes whose only remote is one rsync (local path) content-only remote carrying git as bundles: set up through the CLI
/// as a user would (the second node is given the remote's UUID, as git-remote-annex's annex:: URL gives it).
/// </summary>
internal static class BundleRemoteNodes
{
    public static async Task<string> InitAsync(string parent, string path)
    {
        var init = await CliRunner.RunAsync(parent, "init", "--locked", path);
        Assert.True(init.ExitCode == 0, init.ToString());
        return path;
    }

    /// <summary>Adds the rsync remote "cloud" with git: bundles.</summary>
    public static async Task AddCloudAsync(string node, string store)
    {
        var add = await CliRunner.RunAsync(node, "remote", "add", "cloud", store, "--backend", "rsync");
        Assert.True(add.ExitCode == 0, add.ToString());
        EnableGitBundles(node);
    }

    /// <summary>Adds 'git: bundles' to the node's rsync remote in .tether/config.yml, as a user would.</summary>
    public static void EnableGitBundles(string node)
    {
        var config = Path.Combine(node, ".tether", "config.yml");
        var lines = File.ReadAllLines(config).ToList();
        var backendLine = lines.FindIndex(l => l.TrimStart() == "backend: rsync");
        Assert.True(backendLine >= 0, string.Join("\n", lines));
        var indent = lines[backendLine][..(lines[backendLine].Length - lines[backendLine].TrimStart().Length)];
        lines.Insert(backendLine + 1, indent + "git: bundles");
        File.WriteAllLines(config, lines);
    }

    /// <summary>Sets the node's pull_interval: how often its daemon reads a content remote's manifest for other nodes' pushes.</summary>
    public static void PullEvery(string node, string interval)
    {
        var config = Path.Combine(node, ".tether", "config.yml");
        var text = File.ReadAllText(config);
        Assert.Contains("pull_interval: 1m", text);
        File.WriteAllText(config, text.Replace("pull_interval: 1m", $"pull_interval: {interval}"));
    }

    /// <summary>What the conflict variants of <paramref name="file"/> (at the top of the work tree) hold, sorted; they have the same extension.</summary>
    public static IReadOnlyList<string> VariantContents(string node, string file) =>
        Directory.GetFiles(node, $"{Path.GetFileNameWithoutExtension(file)}.variant-*{Path.GetExtension(file)}")
            .Select(File.ReadAllText).Order(StringComparer.Ordinal).ToList();

    /// <summary>The cloud remote's UUID, once the node has synced with it.</summary>
    public static string CloudUuid(string node) => GitCli.Run(node, "config", "remote.cloud.annex-uuid").Trim();

    /// <summary>What a joining node is told (git-remote-annex puts it in the annex:: URL): the remote's UUID.</summary>
    public static void Join(string node, string uuid) => GitCli.Run(node, "config", "remote.cloud.annex-uuid", uuid);

    /// <summary>The join URL of the node's remote (`tether remote info NAME --url`: the URL alone on stdout).</summary>
    public static async Task<string> JoinUrlAsync(string node, string remote = "cloud")
    {
        var info = await CliRunner.RunAsync(node, "remote", "info", remote, "--url");
        Assert.True(info.ExitCode == 0, info.ToString());
        var url = info.Out.TrimEnd('\n');
        Assert.DoesNotContain('\n', url);
        return url;
    }

    /// <summary>`tether remote add NAME URL` alone, as a node that joins does.</summary>
    public static async Task JoinWithUrlAsync(string node, string url, string remote = "cloud")
    {
        var add = await CliRunner.RunAsync(node, "remote", "add", remote, url);
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    /// <summary>Every file under <paramref name="store"/> (a remote's listing), relative.</summary>
    public static IReadOnlyList<string> Listing(string store) =>
        Directory.Exists(store) ? Directory.GetFiles(store, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(store, f)).Order(StringComparer.Ordinal).ToList() : [];

    public static async Task<CliRunner.Result> SyncAsync(string node)
    {
        var sync = await CliRunner.RunAsync(node, "sync");
        return sync;
    }

    public static async Task SyncOkAsync(string node)
    {
        var sync = await SyncAsync(node);
        Assert.True(sync.ExitCode == 0 && !sync.Out.Contains("failed", StringComparison.OrdinalIgnoreCase), $"sync in {node}: {sync}");
    }

    /// <summary>Where the rsync remote keeps a key's object (git-annex's rsync layout).</summary>
    public static string ObjectPath(string store, Key key) =>
        Path.Combine(store, HashDirs.Lower(key), KeyFileName.Escape(key), KeyFileName.Escape(key));

    /// <summary>The manifest as stored on the remote (null if none).</summary>
    public static GitManifest? Manifest(string store, string uuid)
    {
        var file = ObjectPath(store, GitRemoteAnnexKeys.Manifest(uuid));
        return File.Exists(file) ? GitManifest.Parse(File.ReadAllText(file), uuid, file) : null;
    }

    /// <summary>The bundles a node pushed, oldest first.</summary>
    public static IReadOnlyList<Key> Pushed(string node, string uuid)
    {
        var file = Path.Combine(node, ".git", "tether", "content-remote-git", uuid, "pushed");
        return File.Exists(file) ? File.ReadAllLines(file).Select(Key.Parse).ToList() : [];
    }

    public static string Refs(string node) => GitCli.Run(node, "for-each-ref", "--format=%(refname) %(objectname)");
}
