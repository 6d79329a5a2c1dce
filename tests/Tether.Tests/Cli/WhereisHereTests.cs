using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Cli;

/// <summary>`tether whereis` says [here] only when the object is in this repository's store, whatever the location log says.</summary>
public sealed class WhereisHereTests
{
    [Fact]
    public async Task HereMeansTheObjectIsPresentNotThatTheLogSaysSo()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "a", "--description", "alpha")).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(a, "big.bin"), 2 << 20);
        Assert.Equal(0, (await CliRunner.RunAsync(a, "sync")).ExitCode);
        Assert.Contains("alpha [here]", (await CliRunner.RunAsync(a, "whereis", "big.bin")).Out);

        var link = new FileInfo(Path.Combine(a, "big.bin"));
        var objectFile = link.ResolveLinkTarget(returnFinalTarget: true)!;
        File.SetUnixFileMode(Path.GetDirectoryName(objectFile.FullName)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        objectFile.Delete(); // by hand: the location log still says present here

        var whereis = await CliRunner.RunAsync(a, "whereis", "big.bin");

        Assert.Equal(0, whereis.ExitCode);
        Assert.Equal("big.bin (0 copies)", whereis.Out.Trim());
        Assert.Contains(GitCli.Run(a, "config", "annex.uuid").Trim(), GitCli.Run(a, "annex", "whereis", "--json", "big.bin")); // the log does say so
    }
}
