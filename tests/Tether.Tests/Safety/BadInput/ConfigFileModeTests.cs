using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>.tether/config.yml may hold hook secrets (env:): every write Tether makes leaves it readable by its owner only.</summary>
public sealed class ConfigFileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task InitRemoteAddAndRemoveWriteTheConfigWithMode0600()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        var a = dir.Combine("a");
        var config = Path.Combine(a, ".tether", "config.yml");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(config));

        File.SetUnixFileMode(config, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // as an older tether left it
        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "add", "b", dir.Combine("b"))).ExitCode);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(config));

        Assert.Equal(0, (await CliRunner.RunAsync(a, "remote", "remove", "b")).ExitCode);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(config));
    }

    [Fact]
    public async Task RemoteAddWritesAMissingConfigWithMode0600()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "b")).ExitCode);
        var config = dir.Combine("a", ".tether", "config.yml");
        File.Delete(config);

        Assert.Equal(0, (await CliRunner.RunAsync(dir.Combine("a"), "remote", "add", "b", dir.Combine("b"))).ExitCode);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(config));
    }
}
