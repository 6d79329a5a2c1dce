using Tether.Kernel.Control;
using Tether.Kernel.Repositories;
using Tether.Tests.Support;

namespace Tether.Fuzz.Cluster;

/// <summary>One repository of the fuzz cluster with `tether watch` running on it as a real process (killed and restarted at will).</summary>
public sealed class FuzzNode(string name, string path, IReadOnlyDictionary<string, string> environment) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private TetherProcess? _daemon;

    public string Name { get; } = name;
    public string Path { get; } = path;
    public bool IsRunning => _daemon is { HasExited: false };
    public string DaemonLogPath => System.IO.Path.Combine(Path, ".git", "tether", "daemon.log");

    /// <summary>Starts `tether watch` and waits until its control socket answers.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        _daemon?.Dispose();
        _daemon = TetherProcess.Start(Path, environment, "watch", "--verbose");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await AnswersAsync(ct))
        {
            if (_daemon.HasExited) throw new InvalidOperationException($"tether watch on {Name} exited {_daemon.ExitCode}:\n{Tail(_daemon.Output)}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"tether watch on {Name} did not answer within {StartTimeout}:\n{Tail(_daemon.Output)}");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>SIGTERM and a bounded wait (a clean stop must exit 0); returns the exit code, or null if it was not running.</summary>
    public async Task<int?> StopAsync()
    {
        if (_daemon is not { HasExited: false } daemon) return null;
        daemon.Terminate();
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return daemon.ExitCode;
    }

    /// <summary>SIGKILL, as a power cut.</summary>
    public void KillHard() => _daemon?.KillHard();

    /// <summary>Asks the daemon to pull and push every remote now.</summary>
    public async Task PokeAsync(CancellationToken ct)
    {
        try { await ControlClient.SendAsync(AnnexRepository.Open(Path), new ControlRequest(ControlCommand.Poke), ct); }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException) { }
    }

    /// <summary>For failure messages: whether it runs, and the end of its daemon.log.</summary>
    public string Describe(int lines = 60)
    {
        var state = _daemon is null ? "never started" : _daemon.HasExited ? $"exited {_daemon.ExitCode}" : $"running (pid {_daemon.Id})";
        var log = File.Exists(DaemonLogPath) ? ReadShared(DaemonLogPath) : "(no daemon.log)";
        return $"--- {Name} ({Path}): daemon {state}; daemon.log tail:\n{Tail(log, lines)}";
    }

    public void Dispose() => _daemon?.Dispose();

    private async Task<bool> AnswersAsync(CancellationToken ct)
    {
        try { return await ControlClient.SendAsync(AnnexRepository.Open(Path), new ControlRequest(ControlCommand.Status), ct) is { Ok: true }; }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException) { return false; }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Tail(string text, int lines = 60) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));
}
