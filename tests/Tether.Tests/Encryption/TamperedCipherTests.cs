using System.Security.Cryptography;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Encryption;
using Tether.Kernel.Repositories;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.Encryption;

/// <summary>
/// remote.log is written by any peer: a newer line giving an encrypted remote another cipher (valid, so nothing fails
/// by itself: it only names keys and encrypts differently) or a damaged one is refused with a clear error, and nothing
/// is sent to the remote, in plaintext or otherwise; the right cipher back, nothing was lost.
/// </summary>
public class TamperedCipherTests
{
    [Fact]
    public async Task AnotherCipherInRemoteLogIsRefusedClearlyAndNothingIsSentUntilTheRightOneIsBack()
    {
        RequireTools();
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "cloud", store, "--backend", "rsync", "--encryption", "shared", "--git"));
        File.WriteAllText(Path.Combine(a, "first.txt"), "first\n");
        await SyncOkAsync(a);
        await JoinWithUrlAsync(b, await JoinUrlAsync(a));
        await SyncOkAsync(b);
        var uuid = CloudUuid(b);
        var original = RemoteLogFields(b, "cloud");

        var otherCipher = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(512)) + "\n"));
        await WriteRemoteLogAsync(b, uuid, original, otherCipher);
        var secret = WriteMarked(Path.Combine(b, "secret.bin"), 1 << 20);
        File.WriteAllText(Path.Combine(b, "secret-name.txt"), "small\n");
        var before = Snapshot(store);
        var sync = await SyncAsync(b);
        var said = sync.Out + sync.Error;
        Assert.NotEqual(0, sync.ExitCode);
        Assert.Contains($"remote 'cloud' (uuid {uuid}): the cipher remote.log records for it is not the one this node has used with it", said);
        Assert.Contains("git config --unset remote.cloud.tether-cipher", said);
        Assert.DoesNotContain(otherCipher[..40], said);
        Assert.Equal(before, Snapshot(store)); // nothing sent, nothing removed: not a bundle, not a manifest, not the content

        // A damaged cipher (not base64) is refused as clearly.
        await WriteRemoteLogAsync(b, uuid, original, "not*base64");
        sync = await SyncAsync(b);
        Assert.NotEqual(0, sync.ExitCode);
        Assert.Contains("remote 'cloud': the cipher in remote.log is not base64", sync.Out + sync.Error);
        Assert.Equal(before, Snapshot(store));

        // The right cipher back (newest line wins): B's files reach A, encrypted; nothing was lost.
        await WriteRemoteLogAsync(b, uuid, original, original["cipher"]);
        await SyncOkAsync(b);
        await SyncOkAsync(a);
        Assert.Equal("small\n", File.ReadAllText(Path.Combine(a, "secret-name.txt")));
        Assert.Equal(secret, File.ReadAllBytes(Path.Combine(a, "secret.bin")));
        AssertOnlyCiphertext(store, "GPGHMACSHA1", 5);
    }

    /// <summary>A newer remote.log line for the remote with this cipher (newer than every line there), as a peer's or a hand edit would arrive.</summary>
    private static async Task WriteRemoteLogAsync(string node, string uuid, IReadOnlyDictionary<string, string> fields, string cipher)
    {
        var changed = new Dictionary<string, string>(fields) { [StoredCipher.CipherField] = cipher };
        using var branch = new GitAnnexBranch(AnnexRepository.Open(node), TimeProvider.System);
        await branch.ChangeAsync(RemoteLog.FileName, old => RemoteLog.With(old, uuid, changed, TimeProvider.System), CancellationToken.None);
    }

    /// <summary>The remote's listing with each file's hash.</summary>
    private static string Snapshot(string store) =>
        string.Join("\n", Listing(store).Select(f => $"{f} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(store, f))))}"));
}
