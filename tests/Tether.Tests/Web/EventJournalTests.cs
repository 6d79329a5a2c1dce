using Xunit;
using Tether.Kernel.Events;
using Tether.Web.Events;

namespace Tether.Tests.Web;

/// <summary>The stream's buffer: ids in order, a reconnect from any kept id, and exactly what was lost reported.</summary>
public sealed class EventJournalTests
{
    private static EventJournal JournalWith(int capacity, int events)
    {
        var journal = new EventJournal(new EventBus(), "/repo", capacity);
        for (int i = 1; i <= events; i++) journal.Append(new CommitEvent(DateTimeOffset.UnixEpoch, $"c{i}", $"commit {i}"));
        return journal;
    }

    [Fact]
    public void IdsCountUpInTheDaemonRunAndCarryTheHookJson()
    {
        var journal = JournalWith(10, 3);
        var read = journal.ReadAfter(null);
        Assert.Null(read.Gap);
        Assert.Equal([$"{journal.Run}-1", $"{journal.Run}-2", $"{journal.Run}-3"], read.Entries.Select(e => e.Id.ToString()));
        Assert.Contains("\"summary\":\"commit 2\"", read.Entries[1].Json);
        Assert.Equal("commit", read.Entries[1].Event);
    }

    [Fact]
    public void AReaderFromAKeptIdGetsEverythingAfterItAndNoGap()
    {
        var journal = JournalWith(10, 5);
        var read = journal.ReadAfter(new EventId(journal.Run, 2));
        Assert.Null(read.Gap);
        Assert.Equal([3L, 4L, 5L], read.Entries.Select(e => e.Id.Number));
        Assert.Empty(journal.ReadAfter(new EventId(journal.Run, 5)).Entries);
    }

    [Fact]
    public void EventsThatFellOutOfTheBufferAreReportedAsAGap()
    {
        var journal = JournalWith(3, 7); // keeps 5, 6, 7
        var read = journal.ReadAfter(new EventId(journal.Run, 2));
        Assert.Equal(new Gap("overflow", 3, 4), read.Gap);
        Assert.Equal([5L, 6L, 7L], read.Entries.Select(e => e.Id.Number));
    }

    [Fact]
    public void AnIdFromAnotherDaemonRunIsAGapAndEverythingKeptFollows()
    {
        var journal = JournalWith(3, 4);
        var read = journal.ReadAfter(new EventId("0badf00d", 2));
        Assert.Equal("restart", read.Gap?.Reason);
        Assert.Equal([2L, 3L, 4L], read.Entries.Select(e => e.Id.Number));
        Assert.Equal("restart", journal.ReadAfter(new EventId(journal.Run, 99)).Gap?.Reason);
    }

    [Fact]
    public async Task ListenersAreRungOnEveryEvent()
    {
        var journal = JournalWith(3, 0);
        using var subscription = journal.Listen();
        var rung = subscription.Bell.WaitAsync(CancellationToken.None);
        Assert.False(rung.IsCompleted);
        journal.Append(new CommitEvent(DateTimeOffset.UnixEpoch, "c", "s"));
        Assert.True(await rung.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
