using Tether.Kernel.History;
using Xunit;

namespace Tether.Tests.History;

/// <summary>The times history commands take, variant names read back, and git's raw log parsed.</summary>
public sealed class HistoryTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-12-01T09:30:00Z", "2026-12-01T09:30:00+00:00")]
    [InlineData("2026-11-30", "2026-11-30T00:00:00+00:00")]
    [InlineData("2 days ago", "2026-11-30T12:00:00+00:00")]
    [InlineData("1 week ago", "2026-11-25T12:00:00+00:00")]
    [InlineData("3 hours ago", "2026-12-02T09:00:00+00:00")]
    [InlineData("yesterday", "2026-12-01T12:00:00+00:00")]
    [InlineData("7d", "2026-11-25T12:00:00+00:00")]
    [InlineData("now", "2026-12-02T12:00:00+00:00")]
    public void TimesAreReadAsTheUserWritesThem(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), TimeText.Parse(text, Now));

    [Theory]
    [InlineData("soon")]
    [InlineData("30")]
    [InlineData("2 fortnights ago")]
    public void AnUnreadableTimeSaysWhatIsExpected(string text) =>
        Assert.Contains("expected a time such as", Assert.Throws<FormatException>(() => TimeText.Parse(text, Now)).Message);

    [Theory]
    [InlineData("notes.variant-1a2b.txt", "notes.txt", "1a2b")]
    [InlineData("dir/Makefile.variant-1a2b", "dir/Makefile", "1a2b")]
    [InlineData("a.b/notes.variant-1a2b.variant-SHA256E-s5--ab.txt.txt", "a.b/notes.txt", "1a2b")]
    [InlineData("plain.txt", "plain.txt", "")]
    public void VariantNamesAreReadBack(string variant, string basePath, string code)
    {
        Assert.Equal(basePath, VariantPaths.BaseOf(variant));
        Assert.Equal(code, VariantPaths.CodeOf(variant));
        Assert.Equal(code.Length > 0, VariantPaths.IsVariant(variant));
    }

    [Fact]
    public void RawLogRecordsGiveEachChangeWithItsNodeAndBothNamesOfARename()
    {
        const string sha1 = "1111111111111111111111111111111111111111", sha2 = "2222222222222222222222222222222222222222";
        var output = $"\u001e{sha1}\u001f1796227723\u001fuuid-a\u001ftether in alpha: 1 renamed\u001f\0\n:100644 100644 {sha1} {sha1} R100\0old name.txt\0new\nname.txt\0"
                     + $"\u001e{sha2}\u001f1796227700\u001f\u001fgit-annex in beta\u001f\0\n:100644 000000 {sha2} {LoggedChange.NullBlob} D\0gone.txt\0";
        var changes = GitLog.Parse(output);
        Assert.Equal(2, changes.Count);
        Assert.Equal(('R', "old name.txt", "new\nname.txt", "uuid-a"), (changes[0].Status, changes[0].OldPath, changes[0].Path, changes[0].NodeUuid));
        Assert.Equal(('D', "gone.txt", (string?)null), (changes[1].Status, changes[1].Path, changes[1].NodeUuid));
        Assert.Equal("beta", CommitNode.Describe(changes[1].NodeUuid, changes[1].Subject, new Dictionary<string, string>()));
        Assert.Equal("laptop", CommitNode.Describe("uuid-a", changes[0].Subject, new Dictionary<string, string> { ["uuid-a"] = "laptop" }));
    }
}
