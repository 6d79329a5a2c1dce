using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.Encryption;

/// <summary>
/// git-annex as the oracle for the kernel's encryption layer: rsync special remotes with encryption=shared, hybrid (a
/// throwaway gpg key) and mac=HMACSHA256, made by git-annex and read by Tether, and made by Tether and read by a
/// git-annex clone; the store never holds a plaintext name or byte.
/// </summary>
public class GitAnnexEncryptedRemoteTests
{
    [Fact]
    public async Task ASharedRemoteGitAnnexMadeServesTetherAndWhatTetherStoresThereGitAnnexDecrypts()
    {
        RequireTools();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("store");
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a));
        Ok(GitCli.TryRun(a, "annex", "initremote", "enc", "type=rsync", $"rsyncurl={store}", "encryption=shared"));
        var photo = WriteMarked(Path.Combine(a, "photo.jpg"), 1 << 20);
        GitCli.Run(a, "annex", "add", "-q", "photo.jpg");
        GitCli.Run(a, "commit", "-q", "-m", "photo");
        Ok(GitCli.TryRun(a, "annex", "copy", "--to", "enc", "photo.jpg"));
        GitCli.Run(a, "annex", "drop", "--force", "photo.jpg");
        AssertOnlyCiphertext(store, "GPGHMACSHA1", 1);

        Ok(await CliRunner.RunAsync(a, "remote", "enable", "enc"));
        var get = await CliRunner.RunAsync(a, "get", "photo.jpg");
        Ok(get);
        Assert.Equal(photo, File.ReadAllBytes(Path.Combine(a, "photo.jpg")));

        // Tether stores a new file there; git-annex (same cipher, from remote.log) decrypts it.
        var more = WriteMarked(Path.Combine(a, "more.bin"), 1 << 20);
        Ok(await CliRunner.RunAsync(a, "sync"));
        AssertOnlyCiphertext(store, "GPGHMACSHA1", 2);
        GitCli.Run(a, "annex", "drop", "--force", "more.bin");
        Ok(GitCli.TryRun(a, "annex", "get", "--from", "enc", "more.bin"));
        Assert.Equal(more, File.ReadAllBytes(Path.Combine(a, "more.bin")));
        Ok(GitCli.TryRun(a, "annex", "fsck", "--from", "enc", "more.bin"));
    }

    [Fact]
    public async Task ASharedRemoteTetherAddsIsRecordedAsGitAnnexRecordsItAndAGitAnnexCloneGetsFromIt()
    {
        RequireTools();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var store = dir.Combine("store");
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a));
        var add = await CliRunner.RunAsync(a, "remote", "add", "enc", store, "--backend", "rsync", "--encryption", "shared");
        Ok(add);
        var fields = RemoteLogFields(a, "enc");
        Assert.Equal("shared", fields["encryption"]);
        Assert.Equal("rsync", fields["type"]);
        Assert.False(fields.ContainsKey("mac")); // git-annex's default, HMACSHA1, is not written
        var cipher = Convert.FromBase64String(fields["cipher"]);
        Assert.Equal(685, cipher.Length); // 512 random bytes in base64 and a newline, as gpg --gen-random --armor makes it
        Assert.DoesNotContain(fields["cipher"], add.Out + add.Error);

        var movie = WriteMarked(Path.Combine(a, "movie.mkv"), 2 << 20);
        Ok(await CliRunner.RunAsync(a, "sync"));
        AssertOnlyCiphertext(store, "GPGHMACSHA1", 1);

        var clone = dir.Combine("clone");
        GitCli.Run(dir.Path, "clone", "--quiet", a, clone);
        GitCli.Run(clone, "annex", "init", "-q", "annex clone");
        Ok(GitCli.TryRun(clone, "annex", "enableremote", "enc"));
        Ok(GitCli.TryRun(clone, "annex", "get", "--from", "enc", "movie.mkv"));
        Assert.Equal(movie, File.ReadAllBytes(Path.Combine(clone, "movie.mkv")));
    }

    [Fact]
    public async Task HybridRemotesAreReadBothWaysWithAThrowawayGpgKey()
    {
        RequireTools();
        using var gpg = new ThrowawayGpgHome();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var annexStore = dir.Combine("annex-store");
        var tetherStore = dir.Combine("tether-store");
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a));
        gpg.UseFor(a, "hyb");
        gpg.UseFor(a, "mine");

        // git-annex makes one: the cipher encrypted to the key; Tether decrypts the cipher with the key, then the content.
        Ok(GitCli.TryRunWith(gpg.Environment, "git", a, "annex", "initremote", "hyb", "type=rsync", $"rsyncurl={annexStore}", "encryption=hybrid", $"keyid={gpg.KeyId}"));
        var notes = WriteMarked(Path.Combine(a, "notes.txt"), 1 << 20);
        GitCli.Run(a, "annex", "add", "-q", "notes.txt");
        GitCli.Run(a, "commit", "-q", "-m", "notes");
        Ok(GitCli.TryRunWith(gpg.Environment, "git", a, "annex", "copy", "--to", "hyb", "notes.txt"));
        GitCli.Run(a, "annex", "drop", "--force", "notes.txt");
        // Without the secret key (an empty keyring), enabling it is refused with the reason, and nothing changes.
        var empty = dir.Combine("empty-gnupg");
        Directory.CreateDirectory(empty, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        GitCli.Run(a, "config", "remote.hyb.annex-gnupg-options", $"--homedir {empty}");
        var refused = await CliRunner.RunAsync(a, "remote", "enable", "hyb");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"cannot decrypt the cipher of remote 'hyb' (encryption=hybrid, to gpg keys {gpg.KeyId})", refused.Error);
        GitCli.TryRunWith(null, "gpgconf", a, "--homedir", empty, "--kill", "gpg-agent");
        gpg.UseFor(a, "hyb");
        var enabled = await CliRunner.RunAsync(a, "remote", "enable", "hyb");
        Ok(enabled);
        Assert.Contains("hyb is encrypted (encryption=hybrid", enabled.Out);
        Ok(await CliRunner.RunAsync(a, "get", "notes.txt"));
        Assert.Equal(notes, File.ReadAllBytes(Path.Combine(a, "notes.txt")));

        // Tether makes one: recorded as git-annex records it; a git-annex clone with the key gets what Tether stored.
        Ok(await CliRunner.RunAsync(a, "remote", "add", "mine", tetherStore, "--backend", "rsync", "--encryption", "hybrid", "--keyid", ThrowawayGpgHome.Email));
        var fields = RemoteLogFields(a, "mine");
        Assert.Equal("hybrid", fields["encryption"]);
        Assert.Equal(gpg.KeyId, fields["cipherkeys"]);
        var decrypted = Convert.FromBase64String(fields["cipher"]);
        Assert.NotEqual(685, decrypted.Length); // stored encrypted, not as is
        var report = WriteMarked(Path.Combine(a, "report.pdf"), 1 << 20);
        Ok(await CliRunner.RunAsync(a, "sync"));
        AssertOnlyCiphertext(tetherStore, "GPGHMACSHA1", 1);
        AssertOnlyCiphertext(annexStore, "GPGHMACSHA1", 2);

        var clone = dir.Combine("clone");
        GitCli.Run(dir.Path, "clone", "--quiet", a, clone);
        GitCli.Run(clone, "annex", "init", "-q", "annex clone");
        Ok(GitCli.TryRunWith(gpg.Environment, "git", clone, "annex", "enableremote", "mine"));
        Ok(GitCli.TryRunWith(gpg.Environment, "git", clone, "annex", "get", "--from", "mine", "report.pdf"));
        Assert.Equal(report, File.ReadAllBytes(Path.Combine(clone, "report.pdf")));
    }

    [Fact]
    public async Task Hmacsha256NamesAreReadBothWays()
    {
        RequireTools();
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        var annexStore = dir.Combine("annex-store");
        var tetherStore = dir.Combine("tether-store");
        Ok(await CliRunner.RunAsync(dir.Path, "init", "--locked", a));
        Ok(GitCli.TryRun(a, "annex", "initremote", "g256", "type=rsync", $"rsyncurl={annexStore}", "encryption=shared", "mac=HMACSHA256"));
        var first = WriteMarked(Path.Combine(a, "first.bin"), 1 << 20);
        GitCli.Run(a, "annex", "add", "-q", "first.bin");
        GitCli.Run(a, "commit", "-q", "-m", "first");
        Ok(GitCli.TryRun(a, "annex", "copy", "--to", "g256", "first.bin"));
        GitCli.Run(a, "annex", "drop", "--force", "first.bin");
        AssertOnlyCiphertext(annexStore, "GPGHMACSHA256", 1);
        Ok(await CliRunner.RunAsync(a, "remote", "enable", "g256"));
        Ok(await CliRunner.RunAsync(a, "get", "first.bin"));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(a, "first.bin")));

        Ok(await CliRunner.RunAsync(a, "remote", "add", "t256", tetherStore, "--backend", "rsync", "--encryption", "shared", "--mac", "HMACSHA256"));
        Assert.Equal("HMACSHA256", RemoteLogFields(a, "t256")["mac"]);
        var second = WriteMarked(Path.Combine(a, "second.bin"), 1 << 20);
        Ok(await CliRunner.RunAsync(a, "sync"));
        AssertOnlyCiphertext(tetherStore, "GPGHMACSHA256", 1);
        var clone = dir.Combine("clone");
        GitCli.Run(dir.Path, "clone", "--quiet", a, clone);
        GitCli.Run(clone, "annex", "init", "-q", "annex clone");
        Ok(GitCli.TryRun(clone, "annex", "enableremote", "t256"));
        Ok(GitCli.TryRun(clone, "annex", "get", "--from", "t256", "second.bin"));
        Assert.Equal(second, File.ReadAllBytes(Path.Combine(clone, "second.bin")));
    }
}
