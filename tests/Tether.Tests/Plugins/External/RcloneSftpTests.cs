using Tether.Platform.Hashing;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins.External;

/// <summary>
/// git-annex-remote-rclone with rclone's sftp backend, through the test sshd on 127.0.0.1 (an on-the-fly rclone remote,
/// no rclone config): a 200 MB file stored (its progress ends at its size), retrieved whole and removed.
/// </summary>
public class RcloneSftpTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task A200MegabyteFileGoesToAnSftpServerThroughRcloneWithProgressAndComesBackWhole()
    {
        ExternalRemoteFixture.RequireRclone();
        sshd.Require();
        using var remote = new ExternalRemoteFixture();
        var factory = ExternalRemoteFixture.Factory();
        var target = $":sftp,host=127.0.0.1,port={sshd.Port},user=root,key_file={sshd.Folder}/client_key,known_hosts_file={sshd.Folder}/known_hosts";
        var prefix = Path.Combine(remote.Root, "sftp-store");
        var setup = await factory.InitializeAsync(remote.Describe(new Dictionary<string, string> { ["target"] = target, ["prefix"] = prefix }), CancellationToken.None);
        await using var backend = factory.Create(remote.Describe(setup.Settings));

        var source = Path.Combine(remote.Root, "big.bin");
        var content = PluginTestFiles.WriteRandom(source, 200 << 20);
        var key = await KeyHasher.ComputeSha256EAsync(source);
        var progress = new RecordedProgress();
        await backend.StoreAsync(key, source, progress, CancellationToken.None);

        var stored = Path.Combine(prefix, Tether.Sdk.Keys.HashDirs.Lower(key), key.ToString()); // the server's side of the sftp session
        Assert.Equal(content.Length, new FileInfo(stored).Length);
        Assert.Equal(progress.Values.Order().ToList(), progress.Values.ToList()); // never backwards
        Assert.Equal(content.Length, progress.Values[^1]);

        var back = Path.Combine(remote.Root, "back.bin");
        var retrieving = new RecordedProgress();
        await backend.RetrieveAsync(key, back, retrieving, CancellationToken.None);
        Assert.Equal(content.Length, retrieving.Values[^1]); // Debian's helper sends no PROGRESS: the bar moves at the end
        Assert.True(await KeyHasher.VerifyAsync(key, back, CancellationToken.None));

        await backend.RemoveAsync(key, CancellationToken.None);
        Assert.False(File.Exists(stored));
    }
}
