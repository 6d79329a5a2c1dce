using Tether.Kernel.Control;
using Tether.Kernel.Repositories;

namespace Tether.Tests.Support;

/// <summary>A repository with `tether watch` running on it as a real child process.</summary>
public sealed class WatchingNode : IDisposable
{
    public string Path { get; }
    public TetherProcess Daemon { get; private set; } = null!;

    /// <summary>Set on top of the test's environment for the daemon (e.g. TETHER_SSH_CONFIG for the test sshd).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    private WatchingNode(string path) => Path = path;

    /// <summary>A daemon on an existing repository, with extra environment variables.</summary>
    public static async Task<WatchingNode> StartAsync(string path, IReadOnlyDictionary<string, string>? environment)
    {
        var node = new WatchingNode(path) { Environment = environment };
        await node.StartDaemonAsync();
        return node;
    }

    /// <summary>Initialises (if needed), optionally lowers the large-file threshold, and starts the daemon.</summary>
    public static async Task<WatchingNode> StartAsync(string path, params string[] remotes)
    {
        if (!Directory.Exists(System.IO.Path.Combine(path, ".git")))
            Assert(await CliRunner.RunAsync(System.IO.Path.GetDirectoryName(path)!, "init", path, "--description", System.IO.Path.GetFileName(path)));
        foreach (var remote in remotes)
            Assert(await CliRunner.RunAsync(path, "remote", "add", System.IO.Path.GetFileName(remote), remote));
        var node = new WatchingNode(path);
        await node.StartDaemonAsync();
        return node;
    }

    public async Task StartDaemonAsync()
    {
        Daemon = TetherProcess.Start(Path, Environment, "watch", "--verbose");
        await Eventually.TrueAsync(async () => Daemon.HasExited || await QueryAsync(ControlCommand.Status) is { Ok: true }, TimeSpan.FromSeconds(30), () => Daemon.Output);
        if (Daemon.HasExited) throw new InvalidOperationException($"tether watch exited {Daemon.ExitCode}:\n{Daemon.Output}");
    }

    public Task<ControlResponse?> QueryAsync(ControlCommand command, string? remote = null) =>
        ControlClient.SendAsync(AnnexRepository.Open(Path), new ControlRequest(command, remote), CancellationToken.None);

    public string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Paths in a ref's tree (empty when the ref does not exist).</summary>
    public static HashSet<string> TreePaths(string repo, string refName)
    {
        var (code, output) = GitCli.TryRun(repo, "ls-tree", "-r", "--name-only", "-z", refName);
        return code == 0 ? output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) : [];
    }

    /// <summary>Commits reachable from the ref; 0 when it does not exist yet (an unborn branch).</summary>
    public static int CommitCount(string repo, string refName)
    {
        var (code, output) = GitCli.TryRun(repo, "rev-list", "--count", refName);
        return code == 0 ? int.Parse(output.Trim()) : 0;
    }

    private static void Assert(CliRunner.Result result)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException(result.ToString());
    }

    /// <summary>SIGTERM, then a bounded wait; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Daemon.Terminate();
        await Daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        if (Daemon.ExitCode != 0) File.AppendAllText("/tmp/daemon-fail.txt", Daemon.Describe());
        return Daemon.ExitCode;
    }

    public void Dispose() => Daemon.Dispose(); // kills it if a test left it running
}
