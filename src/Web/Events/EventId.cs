using System.Globalization;

namespace Tether.Web.Events;

/// <summary>
/// An event's id on the stream: the daemon run (random, so a client that reconnects to a restarted daemon is told it
/// missed what happened in between) and the event's number in that run, from 1. Written <c>RUN-NUMBER</c>.
/// </summary>
public readonly record struct EventId(string Run, long Number)
{
    public override string ToString() => $"{Run}-{Number.ToString(CultureInfo.InvariantCulture)}";

    public static EventId? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        int dash = text.LastIndexOf('-');
        return dash > 0 && long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? new EventId(text[..dash], number)
            : null;
    }
}
