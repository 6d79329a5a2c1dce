using Xunit;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;

namespace Tether.Tests.Web;

/// <summary>A client of GET /api/events: parses the Server-Sent Events as they arrive, for the tests to wait on.</summary>
public sealed class EventStreamReader : IAsyncDisposable
{
    public sealed record Message(string? Id, string Event, JsonElement Data);

    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<Message> _messages = Channel.CreateUnbounded<Message>();
    private readonly HttpResponseMessage _response;
    private readonly Task _reading;

    public List<Message> Seen { get; } = [];

    private EventStreamReader(HttpResponseMessage response)
    {
        _response = response;
        _reading = ReadAsync(response);
    }

    public static async Task<EventStreamReader> OpenAsync(HttpClient client, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "api/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStreamReader(response);
    }

    private async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            string? id = null, name = null, data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data is not null) _messages.Writer.TryWrite(new Message(id, name ?? "message", JsonDocument.Parse(data).RootElement.Clone()));
                    (id, name, data) = (null, null, null);
                }
                else if (line.StartsWith("id: ")) id = line[4..];
                else if (line.StartsWith("event: ")) name = line[7..];
                else if (line.StartsWith("data: ")) data = line[6..];
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException) { }
        finally { _messages.Writer.TryComplete(); }
    }

    /// <summary>Reads until a message matches (every one read is kept in <see cref="Seen"/>); fails after the timeout.</summary>
    public async Task<Message> WaitForAsync(Func<Message, bool> matches, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(cts.Token);
                Seen.Add(message);
                if (matches(message)) return message;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"no {what} within {timeout.TotalSeconds:0} s; seen: {string.Join(", ", Seen.Select(m => $"{m.Id} {m.Event}"))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading;
    }
}
