using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins;

/// <summary>The ssh backend checks what the remote `tether shell` announces against the key, as the shell checks the client.</summary>
public sealed class SshClientChecksTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ARetrieveAnnouncingMoreThanTheKeysSizeIsRefusedAndNothingIsKept()
    {
        sshd.Require();
        using var dir = new TempFolder();
        var (laptop, server) = (dir.Combine("laptop"), dir.Combine("server"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", laptop)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", server)).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(server, "big.bin"), 2 << 20);
        Assert.Equal(0, (await CliRunner.RunAsync(server, "sync")).ExitCode);
        var key = PluginTestFiles.KeyOf(Path.Combine(server, "big.bin"));
        // A remote shell that answers CONFIGLIST truly, then announces 100 MB for any RETRIEVE and sends them.
        var liar = dir.Combine("lying-tether");
        File.WriteAllText(liar, $"""
            #!/bin/bash
            echo 'TETHER-SHELL 1'
            while read -r request rest; do
              case "$request" in
                CONFIGLIST) echo 'OK {GitCli.Run(server, "config", "annex.uuid").Trim()}' ;;
                HAVE) echo 'OK 1' ;;
                RETRIEVE) echo 'OK 100000000'; head -c 100000000 /dev/zero ;;
                *) exit 0 ;;
              esac
            done
            """.Replace("\r", ""));
        File.SetUnixFileMode(liar, (UnixFileMode)0x1ED /* 0755 */);
        Assert.Equal(0, (await CliRunner.RunAsync(laptop, "remote", "add", "server", $"{SshdFixture.TrustedHost}:{server}")).ExitCode);
        var environment = new Dictionary<string, string>(sshd.Environment) { ["TETHER_REMOTE_COMMAND"] = liar };
        var (code, output) = await TetherProcess.RunAsync(laptop, Bounded, environment, "sync", "--no-content");
        Assert.True(code == 0, output);

        (code, output) = await TetherProcess.RunAsync(laptop, Bounded, environment, "get", "big.bin");

        Assert.True(code != 0, output);
        Assert.Contains($"RETRIEVE {key}: the remote announced 100000000 bytes from offset 0, but the key's size is {2 << 20}; refused", output);
        Assert.False(PluginTestFiles.HasContent(Path.Combine(laptop, "big.bin")));
        var tmp = Path.Combine(laptop, ".git", "annex", "tmp");
        Assert.All(Directory.Exists(tmp) ? Directory.GetFiles(tmp) : [], f => Assert.Equal(0, new FileInfo(f).Length));
    }
}
