using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Formats;

/// <summary>
/// Every hash backend git-annex verifies, with real git-annex as the oracle: the keys it makes parse, its objects
/// verify, a corrupted object does not; a backend Tether cannot compute is refused naming the key, never taken unverified.
/// </summary>
public sealed class KeyBackendTests
{
    public static TheoryData<string> Verified => new(
        "SHA1E", "SHA1", "MD5E", "SHA256E", "SHA256", "SHA384E", "SHA512E", "SHA224E", "SHA224",
        "SHA3_224E", "SHA3_256E", "SHA3_256", "SHA3_384E", "SHA3_512E",
        "BLAKE2B160E", "BLAKE2B224E", "BLAKE2B256E", "BLAKE2B256", "BLAKE2B384E", "BLAKE2B512E",
        "BLAKE2S160E", "BLAKE2S224E", "BLAKE2S256E", "SKEIN256E", "SKEIN256", "SKEIN512E");

    [Theory]
    [MemberData(nameof(Verified))]
    public async Task AnObjectGitAnnexMadeVerifiesAndACorruptedOneDoesNot(string backend)
    {
        using var dir = new TempFolder();
        var (key, objectPath) = AnnexedByGitAnnex(dir, backend);

        Assert.True(Key.TryParse(key, out var parsed), key);
        Assert.Equal(key, parsed.ToString());
        Assert.True(parsed.IsVerifiable);
        Assert.True(await KeyHasher.VerifyAsync(parsed, objectPath), $"{key} did not verify");
        var corrupted = dir.Combine("corrupted");
        var bytes = File.ReadAllBytes(objectPath);
        bytes[0] ^= 1;
        File.WriteAllBytes(corrupted, bytes);
        Assert.False(await KeyHasher.VerifyAsync(parsed, corrupted), $"a corrupted {key} verified");
    }

    [Theory]
    [InlineData("BLAKE2BP512E")]
    [InlineData("BLAKE2SP256E")]
    [InlineData("XMYHASH")]
    public async Task ContentOfABackendTetherCannotComputeIsRefusedNamingTheKey(string backend)
    {
        using var dir = new TempFolder();
        string key, objectPath;
        if (backend.StartsWith('X'))
        {
            (key, objectPath) = ($"{backend}-s5--abc", dir.Combine("object"));
            File.WriteAllText(objectPath, "hello");
        }
        else (key, objectPath) = AnnexedByGitAnnex(dir, backend);

        var error = await Assert.ThrowsAsync<UnverifiableContentException>(() => KeyHasher.VerifyAsync(Key.Parse(key), objectPath));
        Assert.Contains($"cannot verify content of {key}: backend {backend}", error.Message);
        Assert.Contains("not installed", error.Message);
    }

    [Fact]
    public async Task WormAndUrlKeysNameNoContentAndAreCheckedBySizeAsGitAnnexDoes()
    {
        using var dir = new TempFolder();
        var file = dir.Combine("f");
        File.WriteAllText(file, "hello");
        Assert.True(await KeyHasher.VerifyAsync(Key.Parse("WORM-s5-m1700000000--f"), file));
        Assert.True(await KeyHasher.VerifyAsync(Key.Parse("URL-s5--http&c%%example.org%f"), file));
        Assert.False(await KeyHasher.VerifyAsync(Key.Parse("WORM-s6-m1700000000--f"), file));
    }

    /// <summary>`git annex add --backend=B` of a small file; its key and the path of its object.</summary>
    private static (string Key, string ObjectPath) AnnexedByGitAnnex(TempFolder dir, string backend)
    {
        var repo = dir.Combine("annex");
        Directory.CreateDirectory(repo);
        GitCli.Run(repo, "init", "-q");
        GitCli.Run(repo, "annex", "init", "-q", "oracle");
        File.WriteAllText(Path.Combine(repo, "file.txt"), "content made by git-annex\n");
        GitCli.Run(repo, "annex", "add", "-q", "--backend=" + backend, "file.txt");
        var key = GitCli.Run(repo, "annex", "lookupkey", "file.txt").Trim();
        var location = GitCli.Run(repo, "annex", "contentlocation", key).Trim();
        return (key, Path.Combine(repo, location));
    }
}
