using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Backends;
using Tether.Kernel.ContentRemoteGit;
using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;
using Tether.Tests.Plugins.External;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>The bundles ride on any content-only backend: here an rclone remote through the external plugin.</summary>
public class BundleExternalRemoteTests
{
    [Fact]
    public async Task BundlesPushedThroughAnRcloneExternalRemoteAreFetchedBackThroughIt()
    {
        ExternalRemoteFixture.RequireRclone();
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        Directory.CreateDirectory(store);
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var add = await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "-c", "target=:local", "-c", $"prefix={store}", "--encryption", "none");
        Assert.True(add.ExitCode == 0, add.ToString());
        var config = Path.Combine(a, ".tether", "config.yml");
        var lines = File.ReadAllLines(config).ToList();
        var backendLine = lines.FindIndex(l => l.TrimStart() == "backend: external");
        Assert.True(backendLine >= 0, string.Join("\n", lines));
        lines.Insert(backendLine + 1, lines[backendLine][..(lines[backendLine].Length - lines[backendLine].TrimStart().Length)] + "git: bundles");
        File.WriteAllLines(config, lines);
        File.WriteAllText(Path.Combine(a, "notes.txt"), "through rclone\n");
        await SyncOkAsync(a);
        var uuid = CloudUuid(a);
        Assert.True(File.Exists(Path.Combine(store, HashDirs.Lower(GitRemoteAnnexKeys.Manifest(uuid)), GitRemoteAnnexKeys.Manifest(uuid).ToString())),
            "the manifest is stored in rclone's layout: " + string.Join(", ", Directory.GetFiles(store, "*", SearchOption.AllDirectories)));

        // Another repository reads them back through the same kind of remote (its settings as remote.log records them).
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        var repoB = AnnexRepository.Open(b);
        var recorded = RemoteLog.Parse(GitCli.Run(a, "show", "git-annex:remote.log"))[uuid];
        await using var backend = ExternalRemoteFixture.Factory().Create(new Sdk.Backends.RemoteDescriptor("cloud", "external://rclone", uuid, null)
        {
            Settings = RemoteLog.Shared(recorded), GitDirectory = repoB.GitDir, Host = new AnnexBranchBackendHost(repoB, uuid, TimeProvider.System, NullLogger.Instance),
        });
        var (result, seen) = await new BundleFetcher(repoB, backend, "cloud", uuid, NullLogger.Instance).FetchAsync(CancellationToken.None);
        Assert.True(result.HasRepository);
        Assert.Equal(seen.Bundles.Count, result.BundlesFetched);
        Assert.Equal(GitCli.Run(a, "rev-parse", "main"), GitCli.Run(b, "rev-parse", "refs/remotes/cloud/main"));
        Assert.Equal("through rclone\n", GitCli.Run(b, "show", "refs/remotes/cloud/main:notes.txt"));
    }
}
