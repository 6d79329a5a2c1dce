using System.Text;
using Tether.Tests.Encryption;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>
/// Encryption and bundles together: two nodes that share only an encrypted rsync remote (shared; hybrid with a
/// throwaway gpg key) carrying git converge both ways, and no file of the remote, by name or by byte, shows a file
/// name, a branch name, a key or the marker string the files hold.
/// </summary>
public class EncryptedBundleTests
{
    private const string SecretName = "tax-return-2031";

    [Theory]
    [InlineData("shared")]
    [InlineData("hybrid")]
    public async Task TwoNodesSharingOnlyAnEncryptedRsyncRemoteWithGitConvergeAndItHoldsNoPlaintext(string scheme)
    {
        RequireTools();
        using var gpg = new ThrowawayGpgHome();
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        gpg.UseFor(a, "cloud");
        gpg.UseFor(b, "cloud");
        string[] encryption = scheme == "hybrid" ? ["--encryption", "hybrid", "--keyid", ThrowawayGpgHome.Email] : ["--encryption", "shared"];
        Ok(await CliRunner.RunAsync(a, ["remote", "add", "cloud", store, "--backend", "rsync", .. encryption, "--git"]));

        var big = WriteMarked(Path.Combine(a, SecretName, "scan.pdf"), 1 << 20);
        File.WriteAllText(Path.Combine(a, $"{SecretName}.txt"), Encoding.ASCII.GetString(Marker) + " small, in git\n");
        await SyncOkAsync(a);
        await JoinWithUrlAsync(b, await JoinUrlAsync(a));
        await SyncOkAsync(b);
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(b, SecretName, "scan.pdf")));
        Assert.StartsWith(Encoding.ASCII.GetString(Marker), File.ReadAllText(Path.Combine(b, $"{SecretName}.txt")));

        File.WriteAllText(Path.Combine(b, "from-b.txt"), Encoding.ASCII.GetString(Marker) + " from B\n");
        var fromB = WriteMarked(Path.Combine(b, "from-b.bin"), 1 << 20);
        await SyncOkAsync(b);
        await SyncOkAsync(a);
        Assert.StartsWith(Encoding.ASCII.GetString(Marker), File.ReadAllText(Path.Combine(a, "from-b.txt")));
        Assert.Equal(fromB, File.ReadAllBytes(Path.Combine(a, "from-b.bin")));
        Assert.Equal(GitCli.Run(a, "rev-parse", "main"), GitCli.Run(b, "rev-parse", "main"));

        // Every file of the remote: a MAC name, and none of the plaintext the bundles and content carry.
        AssertOnlyCiphertext(store, "GPGHMACSHA1", 6); // two files, the manifest and its backup, bundles
        string[] plaintext =
        [
            SecretName, "from-b", "refs/heads", "synced/main", "git-annex", "GITBUNDLE", "GITMANIFEST", "SHA256E-", CloudUuid(a),
            GitCli.Run(a, "rev-parse", "main").Trim(),
        ];
        foreach (var file in Directory.GetFiles(store, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            var relative = Path.GetRelativePath(store, file);
            foreach (var text in plaintext)
            {
                Assert.DoesNotContain(text, relative);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) < 0, $"{relative} holds '{text}' in plaintext");
            }
        }
    }
}
