using System.Net.Sockets;
using Tether.Kernel.Control;
using Tether.Kernel.Repositories;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// Every CLI failure is one line on stderr and a documented exit status: a daemon that takes the connection and never
/// answers (here a socket the test holds at the control socket's path), a repository another user owns.
/// </summary>
public sealed class UnresponsiveDaemonTests
{
    [Fact]
    public async Task StatusPokeAndStopGiveUpOnADaemonThatNeverAnswersWithOneLine()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var repo = dir.Combine("a");
        var socketPath = ControlSocketPath.For(AnnexRepository.Open(repo));
        ControlSocketPath.PrepareFolder(socketPath);
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        silent.Bind(new UnixDomainSocketEndPoint(socketPath));
        silent.Listen(16); // connections wait in the backlog: accepted by the kernel, never answered

        var environment = new Dictionary<string, string> { [ControlClient.TimeoutVariable] = "2" };
        var runs = await Task.WhenAll(new[] { "status", "poke", "stop" }.Select(async command =>
            (Command: command, Result: await TetherProcess.RunAsync(repo, TimeSpan.FromSeconds(30), environment, command))));

        foreach (var (command, (code, output)) in runs)
        {
            Assert.True(code is 1 or 2, $"{command}: exit {code}: {output}");
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("tether: failed: the daemon did not answer on ", line);
            Assert.Contains("within 2 s", line);
        }
    }

    [RootFact]
    public async Task ARepositoryAnotherUserOwnsIsOneLine()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var repo = dir.Combine("a");
        Unprivileged.Run("chown", "-R", $"{Unprivileged.Uid}:{Unprivileged.Uid}", repo);

        foreach (var command in (string[])["status", "sync"])
        {
            var result = await CliRunner.RunAsync(repo, command);

            Assert.True(result.ExitCode == 2, $"{command}: {result}");
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("is not owned by current user", line);
            Assert.Contains("safe.directory", line);
        }
    }
}
