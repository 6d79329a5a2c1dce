using Tether.Tests.Encryption;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>`tether remote info NAME [--url]`: backend, UUID, scheme, key ids, MAC, whether git rides on it; never the cipher.</summary>
public class RemoteInfoTests
{
    [Fact]
    public async Task InfoShowsTheSchemeKeyIdsMacAndWhetherGitRidesButNeverTheCipher()
    {
        RequireTools();
        using var gpg = new ThrowawayGpgHome();
        using var dir = new TempFolder();
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var peer = await InitAsync(dir.Path, dir.Combine("peer"));
        gpg.UseFor(a, "hyb");
        Ok(await CliRunner.RunAsync(a, "remote", "add", "enc", dir.Combine("enc"), "--backend", "rsync", "--encryption", "shared", "--mac", "HMACSHA256", "--git"));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "hyb", dir.Combine("hyb"), "--backend", "rsync", "--encryption", "hybrid", "--keyid", ThrowawayGpgHome.Email));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "plain", dir.Combine("plain"), "--backend", "rsync"));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "peer", peer));

        var enc = await CliRunner.RunAsync(a, "remote", "info", "enc");
        Ok(enc);
        var encUuid = GitCli.Run(a, "config", "remote.enc.annex-uuid").Trim();
        Assert.Equal(
            $"name: enc\nbackend: rsync (content only)\nurl: {dir.Combine("enc")}\nuuid: {encUuid}\n" +
            "encryption: shared (the cipher is in remote.log: anyone who has the repository can decrypt)\nmac: HMACSHA256\n" +
            $"git: bundles (the git level rides on this remote)\nsettings: rsyncurl={dir.Combine("enc")}\ncost: 200\n", enc.Out);
        Assert.DoesNotContain(RemoteLogFields(a, "enc")["cipher"][..40], enc.Out + enc.Error);

        var hyb = await CliRunner.RunAsync(a, "remote", "info", "hyb");
        Ok(hyb);
        Assert.Contains("encryption: hybrid (the cipher is in remote.log, encrypted to the gpg keys below)\n", hyb.Out);
        Assert.Contains($"key ids: {gpg.KeyId}\n", hyb.Out);
        Assert.Contains("mac: HMACSHA1\n", hyb.Out);
        Assert.Contains("git: none (content only", hyb.Out);
        var hybUrl = await CliRunner.RunAsync(a, "remote", "info", "hyb", "--url");
        Ok(hybUrl);
        Assert.Contains($"cipherkeys={gpg.KeyId}", hybUrl.Out);
        Assert.EndsWith("#git=none\n", hybUrl.Out);
        Assert.Contains($"encrypted to gpg keys {gpg.KeyId}", hybUrl.Error);
        Assert.Contains("git does not ride on hyb", hybUrl.Error);

        // Not recorded until first used; --url records it as the first sync would, then says it is plaintext.
        var plain = await CliRunner.RunAsync(a, "remote", "info", "plain");
        Ok(plain);
        Assert.Contains("uuid: (not known yet", plain.Out);
        Assert.Contains("encryption: none (content and key names are stored in plaintext there)", plain.Out);
        var plainUrl = await CliRunner.RunAsync(a, "remote", "info", "plain", "--url");
        Ok(plainUrl);
        Assert.Equal($"annex::{GitCli.Run(a, "config", "remote.plain.annex-uuid").Trim()}?type=rsync&encryption=none&rsyncurl={dir.Combine("plain")}#git=none\n", plainUrl.Out);
        Assert.Contains("plain is not encrypted (encryption=none)", plainUrl.Error);

        var repository = await CliRunner.RunAsync(a, "remote", "info", "peer");
        Ok(repository);
        Assert.Contains("backend: local (a repository)\n", repository.Out);
        Assert.Contains("git: its own repository\n", repository.Out);
        Assert.Contains($"uuid: {GitCli.Run(peer, "config", "annex.uuid").Trim()}", repository.Out);
        var noUrl = await CliRunner.RunAsync(a, "remote", "info", "peer", "--url");
        Assert.Equal(2, noUrl.ExitCode);
        Assert.Contains($"peer is a repository of its own (local): another node adds it with 'tether remote add peer {peer}'", noUrl.Error);
        Assert.Equal("", noUrl.Out);
        var unknown = await CliRunner.RunAsync(a, "remote", "info", "nowhere");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no remote named 'nowhere' in the config (known: enc, hyb, plain, peer)", unknown.Error);
    }

    [Fact]
    public async Task TheGitFlagIsRefusedForARemoteThatIsAGitRepositoryAndNothingIsChanged()
    {
        using var dir = new TempFolder();
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        var peer = await InitAsync(dir.Path, dir.Combine("peer"));
        var config = Path.Combine(a, ".tether", "config.yml");
        var before = File.ReadAllText(config) + File.ReadAllText(Path.Combine(a, ".git", "config"));
        var refused = await CliRunner.RunAsync(a, "remote", "add", "peer", peer, "--git");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--git is for content-only remotes (rsync, external://TYPE); 'peer' (local) is a git repository already", refused.Error);
        Assert.Equal(before, File.ReadAllText(config) + File.ReadAllText(Path.Combine(a, ".git", "config")));

        var cloud = await CliRunner.RunAsync(a, "remote", "add", "cloud", dir.Combine("cloud"), "--backend", "rsync", "--git");
        Assert.True(cloud.ExitCode == 0, cloud.ToString());
        Assert.Contains("The git level rides on cloud too (git: bundles)", cloud.Out);
        var without = await CliRunner.RunAsync(a, "remote", "add", "other", dir.Combine("other"), "--backend", "rsync");
        Assert.True(without.ExitCode == 0, without.ToString());
        var remotes = File.ReadAllText(config);
        var cloudEntry = remotes[remotes.IndexOf("- name: cloud", StringComparison.Ordinal)..remotes.IndexOf("- name: other", StringComparison.Ordinal)];
        Assert.Contains("git: bundles", cloudEntry);
        Assert.DoesNotContain("git: bundles", remotes[remotes.IndexOf("- name: other", StringComparison.Ordinal)..]);
    }
}
