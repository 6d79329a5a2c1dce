using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tether.Web.Events;

/// <summary>
/// GET /api/events: Server-Sent Events. Each event is <c>id: RUN-N</c>, <c>event: NAME</c>, <c>data: JSON</c> (the hook
/// payload). A client that reconnects sends <c>Last-Event-ID</c> (browsers do by themselves; or <c>?last_event_id=</c>)
/// and gets what it missed; a <c>gap</c> event first when some of it is no longer kept. A comment every 30 s keeps
/// idle connections open through proxies and finds dead ones.
/// </summary>
public static class EventStream
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    public static async Task ServeAsync(HttpContext context, EventJournal journal, TimeProvider clock, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = linked.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var lastHeader = context.Request.Headers["Last-Event-ID"].ToString();
        var last = EventId.Parse(lastHeader.Length > 0 ? lastHeader : context.Request.Query["last_event_id"].ToString());
        using var subscription = journal.Listen(); // before the first read, so nothing lands between read and wait
        await WriteAsync(response, "retry: 2000\n\n", ct);
        try
        {
            var read = journal.ReadAfter(last);
            if (read.Gap is { } gap)
                await WriteAsync(response, $"event: gap\ndata: {JsonSerializer.Serialize(gap, WebJson.Options)}\n\n", ct);
            while (!ct.IsCancellationRequested)
            {
                if (read.Entries.Count > 0)
                {
                    var text = new StringBuilder();
                    foreach (var entry in read.Entries) text.Append($"id: {entry.Id}\nevent: {entry.Event}\ndata: {entry.Json}\n\n");
                    await WriteAsync(response, text.ToString(), ct);
                    last = read.Entries[^1].Id;
                }
                if (!await subscription.Bell.WaitAsync(KeepAlive, clock, ct))
                {
                    if (ct.IsCancellationRequested) break;
                    await WriteAsync(response, ": keep-alive\n\n", ct);
                }
                read = journal.ReadAfter(last);
                if (read.Gap is { } missed) // this client fell behind the buffer while it was being written to
                    await WriteAsync(response, $"event: gap\ndata: {JsonSerializer.Serialize(missed, WebJson.Options)}\n\n", ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { } // the client went, or the daemon stops
        catch (IOException) { } // the connection broke
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }
}
