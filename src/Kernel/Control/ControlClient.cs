using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Control;

/// <summary>Talks to a repository's running daemon (`tether status`, `poke`, `stop`).</summary>
public static class ControlClient
{
    /// <summary>Sends the request; null when no daemon listens.</summary>
    public static async Task<ControlResponse?> SendAsync(AnnexRepository repo, ControlRequest request, CancellationToken ct)
    {
        var path = ControlSocketPath.For(repo);
        if (!File.Exists(path)) return null;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try { await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct); }
        catch (SocketException) { return null; } // stale socket: the daemon died
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, ControlJson.Options) + "\n"), ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var line = await reader.ReadLineAsync(timeout.Token)
            ?? throw new IOException("the daemon closed the control connection without answering");
        return JsonSerializer.Deserialize<ControlResponse>(line, ControlJson.Options);
    }
}
