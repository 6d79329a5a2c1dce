using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Control;

/// <summary>Talks to a repository's running daemon (`tether status`, `poke`, `stop`).</summary>
public static class ControlClient
{
    /// <summary>Seconds to wait for the daemon's answer (default 30), for scripts and tests that need a shorter bound.</summary>
    public const string TimeoutVariable = "TETHER_CONTROL_TIMEOUT";

    /// <summary>Sends the request; null when no daemon listens.</summary>
    /// <exception cref="IOException">The daemon did not answer in time, or closed the connection without answering.</exception>
    public static async Task<ControlResponse?> SendAsync(AnnexRepository repo, ControlRequest request, CancellationToken ct)
    {
        var path = ControlSocketPath.For(repo);
        if (!File.Exists(path)) return null;
        var wait = Timeout();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        try { return await ExchangeAsync(path, request, timeout.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var pid = Daemon.DaemonLock.RunningPid(repo) is { } p ? $" (pid {p})" : "";
            throw new IOException($"the daemon{pid} did not answer on {path} within {wait.TotalSeconds:0.#} s; it may be stuck: " +
                                  $"see daemon.log in {repo.StateDir}, or end the process and start it again");
        }
    }

    /// <summary>Connect, request, answer: all under one timeout (a connect blocks too when the listener's backlog is full).</summary>
    private static async Task<ControlResponse?> ExchangeAsync(string path, ControlRequest request, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try { await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct); }
        catch (SocketException) { return null; } // stale socket: the daemon died
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, ControlJson.Options) + "\n"), ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync(ct)
            ?? throw new IOException("the daemon closed the control connection without answering");
        return JsonSerializer.Deserialize<ControlResponse>(line, ControlJson.Options);
    }

    private static TimeSpan Timeout() =>
        double.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);
}
