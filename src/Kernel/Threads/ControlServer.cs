using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Control;

namespace Tether.Kernel.Threads;

/// <summary>
/// The daemon's control endpoint: a Unix socket (mode 0600, in a 0700 folder) taking one JSON request
/// line per connection and answering with one JSON line. Only the owning user can connect.
/// </summary>
public sealed class ControlServer(string socketPath, Func<ControlRequest, ControlResponse> handle, ILogger log)
{
    private const int MaxRequestBytes = 64 * 1024;

    public async Task RunAsync(CancellationToken ct)
    {
        ControlSocketPath.PrepareFolder(socketPath);
        File.Delete(socketPath); // a stale socket of a dead daemon; we hold the daemon lock
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(16);
        log.LogDebug("Control socket at {Path}", socketPath);
        var sessions = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Socket client;
                try { client = await listener.AcceptAsync(ct); }
                catch (OperationCanceledException) { break; }
                sessions.RemoveAll(t => t.IsCompleted);
                sessions.Add(ServeAsync(client));
            }
        }
        finally
        {
            File.Delete(socketPath);
            // Answers in flight (the reply to `tether stop` among them) go out before the daemon exits.
            await Task.WhenAny(Task.WhenAll(sessions), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        }
    }

    /// <summary>One request and its answer, bounded by its own timeout (not the daemon's stop: a stop request must still be answered).</summary>
    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var line = await ReadLineAsync(stream, timeout.Token);
            ControlResponse response;
            try
            {
                var request = JsonSerializer.Deserialize<ControlRequest>(line, ControlJson.Options)
                    ?? throw new JsonException("empty request");
                response = handle(request);
            }
            catch (JsonException e) { response = new ControlResponse(false, $"bad request: {e.Message}"); }
            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(response, ControlJson.Options) + "\n");
            await stream.WriteAsync(bytes, timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException)
        {
            log.LogDebug("Control client dropped: {Error}", e.Message);
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var one = new byte[4096];
        while (buffer.Length < MaxRequestBytes)
        {
            var read = await stream.ReadAsync(one, ct);
            if (read == 0) break;
            var newline = Array.IndexOf(one, (byte)'\n', 0, read);
            buffer.Write(one, 0, newline >= 0 ? newline : read);
            if (newline >= 0) return Encoding.UTF8.GetString(buffer.ToArray());
        }
        if (buffer.Length >= MaxRequestBytes) throw new InvalidDataException("request too long");
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
