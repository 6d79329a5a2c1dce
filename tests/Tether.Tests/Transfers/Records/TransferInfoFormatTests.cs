using Microsoft.Extensions.Time.Testing;
using Tether.Kernel.Transfers.Records;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Transfers.Records;

public class TransferInfoFormatTests
{
    // Written by git-annex 10.20230126 on this machine during `git annex copy --to <rsync remote> big`.
    private const string GitAnnexWrote = "1795631369.593431913s 491520\nbig\n";

    [Fact]
    public void ReadsWhatGitAnnexWrote()
    {
        var info = TransferInfo.Parse(GitAnnexWrote);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795631369).AddTicks(5934319), info.StartedAt);
        Assert.Equal(491520, info.BytesDone);
        Assert.Equal("big", info.AssociatedFile);
    }

    [Theory]
    [InlineData("1700000000.5s\n\n", "1700000000.5s", null, null)]          // no bytes yet, no file
    [InlineData("1700000000s 12\nsub/dir/a b.txt\n", "1700000000s", 12L, "sub/dir/a b.txt")]
    [InlineData("1700000000.25 7\nf", "1700000000.25s", 7L, "f")]           // no 's', no final newline
    [InlineData("1700000000s 7 extra\nf\nignored\n", "1700000000s", 7L, "f")] // extra fields and lines ignored
    [InlineData("1700000000s\n", "1700000000s", null, null)]
    public void ParsesTolerantly(string content, string time, long? bytes, string? file)
    {
        var info = TransferInfo.Parse(content);
        Assert.Equal(time, TransferInfo.FormatPosixTime(info.StartedAt));
        Assert.Equal(bytes, info.BytesDone);
        Assert.Equal(file, info.AssociatedFile);
    }

    [Theory]
    [InlineData(1764092400L, 1234567L, "1764092400.1234567s")]
    [InlineData(1764092400L, 1000000L, "1764092400.1s")]
    [InlineData(1764092400L, 0L, "1764092400s")]
    public void FormatsTimeAsHaskellShowsPosixTime(long seconds, long ticks, string expected) =>
        Assert.Equal(expected, TransferInfo.FormatPosixTime(DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks)));

    [Fact]
    public void FormatsExactlyAsGitAnnex()
    {
        var started = DateTimeOffset.FromUnixTimeSeconds(1764092400).AddTicks(1234567);
        Assert.Equal("1764092400.1234567s 1048576\nbig file.bin\n", new TransferInfo(started, 1048576, "big file.bin").Format());
        Assert.Equal("1764092400.1234567s\n\n", new TransferInfo(started, null, null).Format());
        foreach (var info in new[] { new TransferInfo(started, 1048576, "a/b"), new TransferInfo(started, null, null), new TransferInfo(started, 0, "x") })
            Assert.Equal(info, TransferInfo.Parse(info.Format()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\nfile\n")]
    [InlineData("yesterday 5\nfile\n")]
    [InlineData("1700000000s lots\nfile\n")]
    [InlineData("1700000000.s 5\n")]
    [InlineData("1700000000s -5\n")]
    public void BadContentIsAnErrorNamingTheFile(string content)
    {
        using var temp = new TempFolder();
        var path = temp.Combine("SHA256E-s1--x");
        File.WriteAllText(path, content);
        var e = Assert.Throws<TransferRecordFormatException>(() => TransferInfo.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AssociatedFileWithNewlineIsRefused() =>
        Assert.Throws<ArgumentException>(() => new TransferInfo(new FakeTimeProvider().GetUtcNow(), null, "a\nb").Format());
}
