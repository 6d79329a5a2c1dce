namespace Tether.Web.Events;

/// <summary>One event as the stream carries it: its id, its name and the JSON a hook receives on stdin.</summary>
public sealed record JournalEntry(EventId Id, string Event, string Json);
