using System.Reflection;
using System.Runtime.Loader;
using Tether.Kernel.Plugins;
using Tether.Platform.Processes;
using Tether.Sdk.Backends;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins;

/// <summary>The plugin host: shipped plugins load, broken ones are reported and skipped, a third-party plugin serves.</summary>
public class PluginHostTests
{
    [Fact]
    public async Task ShippedPluginsAreFoundNextToTheProgram()
    {
        using var dir = new TempFolder();
        var result = await CliRunner.RunAsync(dir.Path, "plugins");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Tether.Plugins.Rsync", result.Out);
        Assert.Contains("backends: rsync (cost 200, content only)", result.Out);
        Assert.Contains("backends: ssh (cost 200)", result.Out);
        Assert.Contains("backends: external (cost 200, content only)", result.Out);
        Assert.Contains("triggers: (none)", result.Out);
        Assert.DoesNotContain("Load errors", result.Out);
    }

    [Fact]
    public async Task BrokenPluginsAreReportedAndSkippedWhileSyncAndTheDaemonRunOn()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var b = dir.Combine("b");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", b)).ExitCode);
        var plugins = Path.Combine(a, ".tether", "plugins");
        PluginTestFiles.WriteRandom(Path.Combine(plugins, "garbage", "garbage.dll"), 4096);
        PluginTestFiles.CopyFolder(PluginTestFiles.TestPluginBuild, Path.Combine(plugins, "throwing"));
        File.WriteAllText(Path.Combine(plugins, "throwing", "throw-in-constructor"), "");
        Directory.CreateDirectory(Path.Combine(plugins, "empty"));

        var list = await CliRunner.RunAsync(a, "plugins");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("Load errors", list.Out);
        Assert.Matches(@"garbage: not a \.NET assembly", list.Out);
        Assert.Matches(@"throwing: .*FolderBackendFactory threw in its constructor: InvalidOperationException: test plugin told to fail at start", list.Out);
        Assert.Contains("empty: no plugin here: the folder holds no .dll", list.Out);
        Assert.Contains("backends: rsync", list.Out); // the good ones still load

        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", b)).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Equal(0, (await CliRunner.RunAsync(b, "remote", "add", "a", a)).ExitCode);
        Assert.True((await CliRunner.RunAsync(b, "sync")).ExitCode == 0);
        Assert.True(PluginTestFiles.HasContent(Path.Combine(b, "big.bin")));

        // The daemon too: it starts, commits and pushes with the broken folders beside it.
        using var node = await WatchingNode.StartAsync(a);
        File.WriteAllText(Path.Combine(a, "note.txt"), "written while the daemon runs\n");
        await Eventually.TrueAsync(() => WatchingNode.TreePaths(b, "refs/heads/synced/main").Contains("note.txt"), TimeSpan.FromSeconds(30), () => node.Daemon.Output);
        Assert.Contains("skipped", node.Daemon.Output + File.ReadAllText(Path.Combine(a, ".git", "tether", "daemon.log")));
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task AThirdPartyPluginBuiltOnlyAgainstTheContractsServesAsABackend()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("store");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", a)).ExitCode);
        PluginTestFiles.CopyFolder(PluginTestFiles.TestPluginBuild, Path.Combine(a, ".tether", "plugins", "testplugin"));

        var list = await CliRunner.RunAsync(a, "plugins");
        Assert.Contains("Tether.TestPlugin 0.3.0", list.Out);
        Assert.Contains("backends: testfolder (cost 150, content only)", list.Out);

        var add = await CliRunner.RunAsync(a, "remote", "add", "store", store, "--backend", "testfolder");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("cost 150", add.Out);
        var content = PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var key = PluginTestFiles.KeyOf(Path.Combine(a, "big.bin"));
        Assert.True(File.Exists(Path.Combine(store, key)), $"the plugin should hold {key}: {sync}");

        var drop = await CliRunner.RunAsync(a, "drop", "big.bin");
        Assert.True(drop.ExitCode == 0, drop.ToString());
        Assert.False(PluginTestFiles.HasContent(Path.Combine(a, "big.bin")));
        var get = await CliRunner.RunAsync(a, "get", "big.bin");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "big.bin")));
    }

    [Fact]
    public void APluginBuiltAgainstAnotherContractsMajorVersionIsRefused()
    {
        // The host compares the referenced Tether.Sdk major version; ours must be the one it reports.
        var host = new PluginHost();
        host.LoadFolder(PluginTestFiles.TestPluginBuild);
        var plugin = Assert.Single(host.Plugins);
        Assert.Equal(PluginHost.ContractsVersion.Major, plugin.ContractsVersion.Major);
        Assert.Empty(host.Errors);
    }

    [Theory]
    [InlineData("rsync")]
    [InlineData("ssh")]
    [InlineData("usb")]
    [InlineData("external")]
    public void EachShippedPluginRunsOnItsOwnCopyOfThePlatformLibraryAndTheHostsContracts(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "plugins", name);
        var host = new PluginHost();
        host.LoadFolder(folder);
        Assert.Empty(host.Errors);
        var plugin = Assert.Single(host.Plugins);
        var pluginAssembly = plugin.Backends.Select(b => b.GetType().Assembly).Concat(plugin.Triggers.Select(t => t.GetType().Assembly)).First();
        var context = AssemblyLoadContext.GetLoadContext(pluginAssembly)!;
        Assert.NotSame(AssemblyLoadContext.Default, context);

        // Tether.Platform is a private dependency: the copy in the plugin's folder, in the plugin's context, not the host's.
        var platform = context.LoadFromAssemblyName(new AssemblyName("Tether.Platform"));
        Assert.NotSame(typeof(ProcessRunner).Assembly, platform);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(platform));
        Assert.Equal(Path.Combine(folder, "Tether.Platform.dll"), platform.Location);
        // The contracts are the host's own (one IContentBackend type on both sides), never a copy.
        Assert.Same(typeof(IContentBackend).Assembly, context.LoadFromAssemblyName(new AssemblyName("Tether.Sdk")));
        Assert.False(File.Exists(Path.Combine(folder, "Tether.Sdk.dll")));
    }
}
