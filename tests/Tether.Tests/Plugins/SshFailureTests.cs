using System.Diagnostics;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins;

/// <summary>Explaining an ssh failure asks <c>ssh -G</c> for the real host and port; that question is bounded too.</summary>
public sealed class SshFailureTests
{
    [Fact]
    public async Task AHostKeyFailureIsExplainedEvenWhenSshDashGHangs()
    {
        using var dir = new TempFolder();
        var laptop = dir.Combine("laptop");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", laptop)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(laptop, "remote", "add", "nas", "nas.invalid:/srv/annex", "--backend", "rsync")).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(laptop, "big.bin"), 2 << 20);
        // An `ssh` first on PATH: a connection fails on the host key; `ssh -G` (no connection, just the config) hangs,
        // holding its output open, as a broken ssh or a `Match exec` that never returns would.
        var wrappers = Directory.CreateDirectory(dir.Combine("wrappers")).FullName;
        File.WriteAllText(Path.Combine(wrappers, "ssh"), """
            #!/bin/sh
            for a in "$@"; do [ "$a" = "-G" ] && exec sleep 120; done
            echo 'Host key verification failed.' >&2
            exit 255
            """.Replace("\r", ""));
        File.SetUnixFileMode(Path.Combine(wrappers, "ssh"), (UnixFileMode)0x1ED /* 0755 */);
        var environment = new Dictionary<string, string> { ["PATH"] = $"{wrappers}:{Environment.GetEnvironmentVariable("PATH")}" };

        var clock = Stopwatch.StartNew();
        var (code, output) = await TetherProcess.RunAsync(laptop, TimeSpan.FromSeconds(45), environment, "sync");

        Assert.True(code != 0, output);
        Assert.Contains("the ssh host key of nas.invalid (port 22) is not trusted", output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"took {clock.Elapsed}");
    }
}
