using Tether.Sdk.Keys;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Formats;

public class KeyFormatTests
{
    private const string HelloKey = "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt";

    [Fact]
    public async Task Sha256eKeyOfHelloWorldMatchesGitAnnex()
    {
        using var dir = new Support.TempFolder();
        var file = dir.Combine("hello.txt");
        await File.WriteAllTextAsync(file, "hello world\n");
        var key = await KeyHasher.ComputeSha256EAsync(file);
        Assert.Equal(HelloKey, key.ToString());
        Assert.True(await KeyHasher.VerifyAsync(key, file));
        await File.WriteAllTextAsync(file, "hello world!");
        Assert.False(await KeyHasher.VerifyAsync(key, file));
    }

    [Fact]
    public void HashDirsMatchGitAnnex()
    {
        var key = Key.Parse(HelloKey);
        Assert.Equal("e7d/d01/", HashDirs.Lower(key));
        Assert.Equal("J7/0G/", HashDirs.Mixed(key));
        var empty = Key.Parse("SHA256E-s0--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        Assert.Equal("pX/ZJ/", HashDirs.Mixed(empty));
        Assert.Equal("f87/4d5/", HashDirs.Lower(empty));
    }

    [Theory]
    [InlineData("photo.jpeg", ".jpeg")]
    [InlineData("a.tar.gz", ".tar.gz")]
    [InlineData("x.tar.bz2.gpg", ".bz2.gpg")]
    [InlineData("f.JPG", ".JPG")]
    [InlineData("a.verylongext", "")]
    [InlineData("weird name.with space", "")]
    [InlineData("noext", "")]
    [InlineData(".bashrc", "")]
    [InlineData("dir/sub/song.mp3", ".mp3")]
    public void ExtensionFollowsGitAnnexRules(string name, string expected) => Assert.Equal(expected, KeyExtension.For(name));

    [Theory]
    [InlineData("SHA256E-s12--abc.txt")]
    [InlineData("WORM-s30-m1700000000--some-file name.txt")]
    [InlineData("SHA256E-s1048576-S262144-C2--abcdef")]
    [InlineData("URL--http&c%%example.com%foo")]
    [InlineData("SHA1--0123456789abcdef0123456789abcdef01234567")]
    public void KeysRoundTrip(string text)
    {
        var key = Key.Parse(text);
        Assert.Equal(text, key.ToString());
        Assert.True(KeyFileName.TryUnescape(KeyFileName.Escape(key), out var back));
        Assert.Equal(key, back);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SHA256E")]
    [InlineData("SHA256E-s12--")]
    [InlineData("SHA256E-s12--a/b")]
    [InlineData("SHA256E-s12--..")]
    [InlineData("SHA256E-x12--abc")]
    [InlineData("SHA256E-s1-s2--abc")]
    [InlineData("../../etc--passwd")]
    [InlineData("SHA256E-s12--a\nb")]
    [InlineData("SHA256E-S5--abc")]
    public void RejectsStringsThatAreNotKeys(string text) => Assert.False(Key.TryParse(text, out _));

    [Fact]
    public void KeyFileEscapingMatchesGitAnnex()
    {
        Assert.Equal("URL--http&c%%x&a&sy", KeyFileName.Escape("URL--http://x&%y"));
        Assert.Equal(HelloKey, KeyFileName.Escape(HelloKey));
    }

    [Fact]
    public void ChunkKeysHashLikeTheirParent()
    {
        var parent = Key.Parse("SHA256E-s1048576--abcdef");
        var chunk = Key.Parse("SHA256E-s1048576-S262144-C2--abcdef");
        Assert.Equal(HashDirs.Mixed(parent), HashDirs.Mixed(chunk));
    }
}
