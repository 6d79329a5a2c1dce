using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// With XDG_RUNTIME_DIR unset (cron, services, su), Tether's ssh ControlPath folder and its control-socket fallback
/// live in the temp folder, where another local user can make them first. Tether refuses such a folder with one line
/// (git over ssh and the daemon alike) and makes its own 0700. Each test runs tether as a child with TMPDIR set to a
/// folder of its own (Tether honours TMPDIR), so it never touches the real /tmp/tether-*-$USER.
/// </summary>
public sealed class SharedTempFolderTests
{
    private const UnixFileMode Private = (UnixFileMode)0x1C0; // 0700
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [RootTheory]
    [MemberData(nameof(HostileFolder.Kinds), MemberType = typeof(HostileFolder))]
    public async Task GitOverSshRefusesAControlPathFolderAnotherUserMade(string kind)
    {
        using var dir = new TempFolder();
        var (repo, tmp) = await RepositoryAsync(dir, "a");
        Assert.Equal(0, (await CliRunner.RunAsync(repo, "remote", "add", "srv", "ssh://127.0.0.1:9/srv/x")).ExitCode);
        var folder = Path.Combine(tmp, $"tether-ssh-{Environment.UserName}");
        HostileFolder.Make(folder, kind, dir.Path);

        var (code, output) = await TetherProcess.RunAsync(repo, Bound, Isolated(tmp), "sync");

        Assert.True(code != 0, output);
        Assert.Contains($"refusing the folder {folder}: ", output);
        AssertNoCrash(output);
    }

    [RootTheory]
    [MemberData(nameof(HostileFolder.Kinds), MemberType = typeof(HostileFolder))]
    public async Task TheDaemonAndItsClientsRefuseAControlSocketFolderAnotherUserMade(string kind)
    {
        using var dir = new TempFolder();
        var (repo, tmp) = await RepositoryAsync(dir, DeepName);
        var folder = Path.Combine(tmp, $"tether-{Environment.UserName}");
        HostileFolder.Make(folder, kind, dir.Path);

        foreach (var command in (string[])["watch", "status"])
        {
            var (code, output) = await TetherProcess.RunAsync(repo, Bound, Isolated(tmp), command);

            Assert.True(code == 2, $"{command}: exit {code}: {output}");
            var refusal = Assert.Single(output.Split('\n'), line => line.StartsWith("tether: refusing", StringComparison.Ordinal));
            Assert.StartsWith($"tether: refusing the folder {folder}: ", refusal);
            Assert.Contains(HostileFolder.Found(kind), refusal);
            AssertNoCrash(output);
        }
    }

    [Fact]
    public async Task TheDaemonMakesItsControlSocketFoldersWithMode0700()
    {
        using var dir = new TempFolder();
        var (repo, tmp) = await RepositoryAsync(dir, DeepName);
        var folder = Path.Combine(tmp, $"tether-{Environment.UserName}");

        using var daemon = TetherProcess.Start(repo, Isolated(tmp), "watch");
        await Eventually.TrueAsync(() => daemon.HasExited || Directory.Exists(Path.Combine(folder, "tether")) && Directory.EnumerateFiles(Path.Combine(folder, "tether"), "*.sock").Any(),
            Bound, daemon.Describe);
        Assert.False(daemon.HasExited, daemon.Describe());

        Assert.Equal(Private, File.GetUnixFileMode(folder));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(folder, "tether")));
        Assert.Equal(0, (await TetherProcess.RunAsync(repo, Bound, Isolated(tmp), "stop")).ExitCode);
        await daemon.WaitForExitAsync(Bound);
    }

    // A work tree this deep puts .git/tether/control.sock past the 100-byte limit: the socket goes to the per-user folder.
    private static readonly string DeepName = new('d', 110);

    private static async Task<(string Repo, string Tmp)> RepositoryAsync(TempFolder dir, string name)
    {
        var tmp = dir.Combine("tmp");
        Directory.CreateDirectory(tmp);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", name)).ExitCode);
        return (dir.Combine(name), tmp);
    }

    private static Dictionary<string, string> Isolated(string tmp) => new() { ["TMPDIR"] = tmp, ["XDG_RUNTIME_DIR"] = "" };

    private static void AssertNoCrash(string output)
    {
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
    }
}
