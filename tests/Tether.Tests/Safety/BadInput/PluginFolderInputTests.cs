using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// Plugin folders holding what is not a plugin (beyond Plugins/PluginHostTests' random bytes, throwing plugin and
/// empty folder): each is named with why it was skipped, the good plugins still load, sync works, nothing changes.
/// </summary>
public sealed class PluginFolderInputTests
{
    private static string BuiltDll(string name) => Path.Combine(AppContext.BaseDirectory, name);

    [Fact]
    public async Task EveryKindOfNonPluginIsNamedAndSkippedAndNothingChanges()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var plugins = Path.Combine(a, ".tether", "plugins");
        void Put(string folder, string file, byte[] bytes)
        {
            Directory.CreateDirectory(Path.Combine(plugins, folder));
            File.WriteAllBytes(Path.Combine(plugins, folder, file), bytes);
        }
        var yaml = File.ReadAllBytes(BuiltDll("YamlDotNet.dll"));
        Put("zero", "zero.dll", []);
        Put("truncated", "truncated.dll", yaml[..3000]);
        Put("elf", "elf.dll", File.ReadAllBytes("/bin/ls"));
        Put("notplugin", "YamlDotNet.dll", yaml);
        Put("twodlls", "a.dll", new byte[100]);
        Put("twodlls", "YamlDotNet.dll", yaml);
        Directory.CreateDirectory(Path.Combine(plugins, "dirdll", "x.dll"));
        File.WriteAllText(Path.Combine(a, "note.txt"), "synced despite the garbage\n");
        var pluginsBefore = DiskSnapshot.Listing(plugins, skip: null);

        var list = await CliRunner.RunAsync(a, "plugins");

        Assert.True(list.ExitCode == 0, list.ToString());
        var errors = list.Out[list.Out.IndexOf("Load errors", StringComparison.Ordinal)..].Split('\n').Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(
        [
            $"  {plugins}/dirdll: no plugin here: the folder holds no .dll",
            $"  {plugins}/elf: not a .NET assembly (corrupt or not a plugin DLL): Bad IL format. The format of the file '{plugins}/elf/elf.dll' is invalid.",
            $"  {plugins}/notplugin: YamlDotNet.dll does not reference the contracts assembly Tether.Sdk: not a Tether plugin",
            $"  {plugins}/truncated: not a .NET assembly (corrupt or not a plugin DLL): Bad IL format. The format of the file '{plugins}/truncated/truncated.dll' is invalid.",
            $"  {plugins}/twodlls: cannot tell which DLL is the plugin: name one after the folder (twodlls.dll) (found a.dll, YamlDotNet.dll)",
            $"  {plugins}/zero: not a .NET assembly (corrupt or not a plugin DLL): Bad IL format. The format of the file '{plugins}/zero/zero.dll' is invalid.",
        ], errors);
        Assert.Contains("backends: rsync", list.Out);

        var sync = await CliRunner.RunAsync(a, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("note.txt", WatchingNode.TreePaths(a, "HEAD"));
        Assert.Equal(pluginsBefore, DiskSnapshot.Listing(plugins, skip: null));
    }
}
