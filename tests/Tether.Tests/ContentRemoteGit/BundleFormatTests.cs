using System.Security.Cryptography;
using Tether.Kernel.ContentRemoteGit;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>
/// git-remote-annex's format, against its documentation (doc/internals/git-remote-annex.mdwn and the key names of
/// Backend/GitRemoteAnnex.hs): this machine's git-annex (10.20230126) predates git-remote-annex (10.20240430), so git-annex
/// itself plays its other parts: it makes the rsync special remote, its content and its git-annex branch, and reads
/// Tether's; the bundles and manifest are read and written by hand as the document's fetch and push describe.
/// </summary>
public class BundleFormatTests
{
    [Fact]
    public async Task ARepositoryStoredInARsyncSpecialRemoteAsTheDocumentDescribesIsReadByTether()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests (it installs the apt package git-annex)");
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var g = dir.Combine("g");
        Directory.CreateDirectory(g);
        GitCli.Run(g, "init", "-q", "-b", "master");
        GitCli.Run(g, "annex", "init", "git-annex user");
        File.WriteAllText(Path.Combine(g, "small.txt"), "from git-annex\n");
        var content = PluginTestFiles.WriteRandom(Path.Combine(g, "big.bin"), 300_000);
        GitCli.Run(g, "annex", "add", "big.bin");
        GitCli.Run(g, "add", "small.txt");
        GitCli.Run(g, "commit", "-q", "-m", "from git-annex");
        GitCli.Run(g, "annex", "initremote", "cloud", "type=rsync", $"rsyncurl={store}", "encryption=none");
        GitCli.Run(g, "annex", "copy", "--to", "cloud", "big.bin");
        var uuid = GitCli.Run(g, "config", "remote.cloud.annex-uuid").Trim();

        // git-remote-annex's push: a bundle of the refs under its tracking names, stored as GITBUNDLE-s<size>--<uuid>-<sha256>,
        // and a manifest listing it (and a bundle waiting for deletion, '-' first).
        var tracking = $"refs/namespaces/git-remote-annex/{uuid}/refs/heads/";
        GitCli.Run(g, "update-ref", tracking + "master", "master");
        GitCli.Run(g, "update-ref", tracking + "git-annex", "git-annex");
        var bundleFile = dir.Combine("g.bundle");
        GitCli.Run(g, "bundle", "create", "-q", bundleFile, tracking + "master", tracking + "git-annex");
        var bytes = File.ReadAllBytes(bundleFile);
        var key = Key.Parse($"GITBUNDLE-s{bytes.Length}--{uuid}-{Convert.ToHexStringLower(SHA256.HashData(bytes))}");
        Write(ObjectPath(store, key), bytes);
        Write(ObjectPath(store, Key.Parse($"GITMANIFEST--{uuid}")), System.Text.Encoding.UTF8.GetBytes($"{key}\n-GITBUNDLE-s10--{uuid}-{new string('c', 64)}\n"));

        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await AddCloudAsync(b, store);
        Join(b, uuid);
        await SyncOkAsync(b);
        Assert.Equal("from git-annex\n", File.ReadAllText(Path.Combine(b, "small.txt")));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(b, "big.bin"))); // located through git-annex's own location log
        Assert.Contains(GitCli.Run(g, "rev-parse", "master").Trim(), GitCli.Run(b, "log", "--format=%H", "main"));
    }

    [Fact]
    public async Task WhatTetherStoresIsReadAsTheDocumentDescribesAndGitAnnexGetsItsContent()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests (it installs the apt package git-annex)");
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        await AddCloudAsync(a, store);
        File.WriteAllText(Path.Combine(a, "small.txt"), "from tether\n");
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20); // above largefiles: annexed
        await SyncOkAsync(a);
        File.WriteAllText(Path.Combine(a, "later.txt"), "an incremental push\n");
        await SyncOkAsync(a);
        var uuid = CloudUuid(a);

        // The manifest: one key per line, each GITBUNDLE-s<size>--<uuid>-<sha256 of the stored bundle>; the backup the same.
        var manifestFile = ObjectPath(store, Key.Parse($"GITMANIFEST--{uuid}"));
        var lines = File.ReadAllLines(manifestFile);
        Assert.True(lines.Length >= 2, string.Join("\n", lines));
        Assert.Equal(File.ReadAllText(manifestFile), File.ReadAllText(ObjectPath(store, Key.Parse($"GITMANIFEST--{uuid}.bak"))));
        var g = dir.Combine("g");
        Directory.CreateDirectory(g);
        GitCli.Run(g, "init", "-q", "-b", "master");
        foreach (var line in lines)
        {
            Assert.Matches($"^GITBUNDLE-s[0-9]+--{uuid}-[0-9a-f]{{64}}$", line);
            var key = Key.Parse(line);
            var bytes = File.ReadAllBytes(ObjectPath(store, key));
            Assert.Equal(key.Size, bytes.Length);
            Assert.EndsWith("-" + Convert.ToHexStringLower(SHA256.HashData(bytes)), key.Name);
            // git-remote-annex's fetch: each bundle in order; its refs are the tracking refs of the remote's branches.
            var fetch = GitCli.TryRun(g, "fetch", "-q", ObjectPath(store, key), $"+refs/namespaces/git-remote-annex/{uuid}/refs/heads/*:refs/remotes/cloud/*");
            Assert.True(fetch.ExitCode == 0, fetch.Output);
        }
        GitCli.Run(g, "checkout", "-q", "-b", "main", "refs/remotes/cloud/main");
        GitCli.Run(g, "branch", "git-annex", "refs/remotes/cloud/git-annex");
        Assert.Equal(GitCli.Run(a, "rev-parse", "main"), GitCli.Run(g, "rev-parse", "refs/remotes/cloud/synced/main"));
        GitCli.Run(g, "annex", "init", "git-annex user");
        var enable = GitCli.TryRun(g, "annex", "enableremote", "cloud");
        Assert.True(enable.ExitCode == 0, enable.Output);
        Assert.NotNull(new FileInfo(Path.Combine(g, "big.bin")).LinkTarget); // an annexed file, its content not here yet
        Assert.False(PluginTestFiles.HasContent(Path.Combine(g, "big.bin")));
        var get = GitCli.TryRun(g, "annex", "get", "big.bin");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(g, "big.bin")));
        Assert.Equal("an incremental push\n", File.ReadAllText(Path.Combine(g, "later.txt")));
    }

    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
