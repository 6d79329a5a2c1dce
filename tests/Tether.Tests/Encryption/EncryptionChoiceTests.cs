using Tether.Tests.Plugins.External;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.Encryption;

/// <summary>`tether remote add`: a cloud remote must choose its encryption (none is allowed, but said); the options are checked.</summary>
public class EncryptionChoiceTests
{
    [Fact]
    public async Task ACloudRemoteWithoutEncryptionIsRefusedAndNoneMustBeSaid()
    {
        Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run ./run-tests");
        ExternalRemoteFixture.RequireRclone();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("cloud-store");
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a));

        var refused = await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "-c", "target=:local", "-c", $"prefix={store}");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("choose its encryption", refused.Error);
        Assert.Contains("--encryption none", refused.Error);
        Assert.DoesNotContain("cloud", File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
        GitCli.Run(a, "annex", "merge", "--quiet");
        Assert.DoesNotContain("name=cloud", GitCli.TryRun(a, "show", "git-annex:remote.log").Output);

        Assert.Contains("--encryption is for content-only remotes", (await CliRunner.RunAsync(a, "remote", "add", "peer", dir.Combine("a"), "--encryption", "shared")).Error);
        Assert.Contains("--encryption hybrid needs --keyid", (await CliRunner.RunAsync(a, "remote", "add", "s", store, "--backend", "rsync", "--encryption", "hybrid")).Error);
        Assert.Contains("--mac HMACMD5: give one of", (await CliRunner.RunAsync(a, "remote", "add", "s", store, "--backend", "rsync", "--encryption", "shared", "--mac", "HMACMD5")).Error);
        Assert.Contains("-c cipher=... is the kernel's encryption", (await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "--encryption", "none", "-c", "cipher=abc")).Error);

        var plain = await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "--encryption", "none", "-c", "target=:local", "-c", $"prefix={store}");
        Ok(plain);
        Assert.Equal("none", RemoteLogFields(a, "cloud")["encryption"]);
    }

    [Fact]
    public async Task AnEncryptedCloudRemoteStoresOnlyCiphertextAndGitAnnexReadsIt()
    {
        RequireTools();
        ExternalRemoteFixture.RequireRclone();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("cloud-store");
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "--encryption", "shared", "-c", "target=:local", "-c", $"prefix={store}"));
        var fields = RemoteLogFields(a, "cloud");
        Assert.Equal("shared", fields["encryption"]);
        Assert.Equal("external", fields["type"]);
        var content = WriteMarked(Path.Combine(a, "secret.doc"), 1 << 20);
        Ok(await CliRunner.RunAsync(a, "sync"));
        var objects = Directory.GetFiles(store, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.StartsWith("GPGHMACSHA1--", Path.GetFileName(o)));
        Assert.All(objects, o => Assert.True(File.ReadAllBytes(o).AsSpan().IndexOf(Marker) < 0, $"{o} holds plaintext"));

        // Served back by Tether, and by git-annex (the same helper, the same cipher).
        GitCli.Run(a, "annex", "drop", "--force", "secret.doc"); // not tether drop: this rclone's 'size' output makes the helper's CHECKPRESENT say unknown
        Ok(await CliRunner.RunAsync(a, "get", "secret.doc"));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(a, "secret.doc")));
        var clone = dir.Combine("clone");
        GitCli.Run(dir.Path, "clone", "--quiet", a, clone);
        GitCli.Run(clone, "annex", "init", "-q", "annex clone");
        Ok(GitCli.TryRun(clone, "annex", "enableremote", "cloud"));
        Ok(GitCli.TryRun(clone, "annex", "get", "--from", "cloud", "secret.doc"));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(clone, "secret.doc")));
    }
}
