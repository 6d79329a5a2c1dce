using Tether.Tests.Encryption;
using Tether.Tests.Plugins.External;
using Tether.Tests.Support;
using Xunit;
using static Tether.Tests.ContentRemoteGit.BundleRemoteNodes;
using static Tether.Tests.Encryption.EncryptedRemoteSupport;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>
/// `tether remote info NAME --url` on one node, `tether remote add NAME URL` alone on a fresh one, then `tether sync`:
/// the same remote (UUID, settings, cipher), the git level through its bundles, the content. git-annex 10.20230126 here
/// has no git-remote-annex (added in 10.20240430), so only Tether reads the URL in these tests (docs/PLUGINS.md says so).
/// </summary>
public class JoinUrlTests
{
    [Fact]
    public async Task ANodeJoinsAnEncryptedRsyncRemoteWithGitFromItsUrlAloneAndGetsTheFilesWithContent()
    {
        RequireTools();
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "cloud", store, "--backend", "rsync", "--encryption", "shared", "--git"));
        Assert.Contains("git: bundles", File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
        var photo = WriteMarked(Path.Combine(a, "photos", "holiday.jpg"), 1 << 20);
        File.WriteAllText(Path.Combine(a, "notes.txt"), "written on A\n");
        await SyncOkAsync(a);

        var info = await CliRunner.RunAsync(a, "remote", "info", "cloud", "--url");
        Ok(info);
        var url = info.Out.TrimEnd('\n');
        var uuid = CloudUuid(a);
        Assert.StartsWith($"annex::{uuid}?type=rsync&", url);
        Assert.Contains("encryption=shared", url);
        Assert.DoesNotContain("#", url); // git rides on it: no fragment, as in the URLs git-annex makes
        Assert.Contains("this URL is a secret", info.Error);
        Assert.DoesNotContain("annex::", info.Error); // the URL (and its cipher) only on stdout

        var b = await InitAsync(dir.Path, dir.Combine("b"));
        var join = await CliRunner.RunAsync(b, "remote", "add", "cloud", url);
        Ok(join);
        Assert.Contains($"uuid {uuid}", join.Out);
        Assert.DoesNotContain(RemoteLogFields(a, "cloud")["cipher"], join.Out + join.Error);
        Assert.Equal(RemoteLogFields(a, "cloud"), RemoteLogFields(b, "cloud")); // same UUID, same settings, the same cipher: never a new one
        Assert.Contains("git: bundles", File.ReadAllText(Path.Combine(b, ".tether", "config.yml")));

        await SyncOkAsync(b);
        Assert.Equal("written on A\n", File.ReadAllText(Path.Combine(b, "notes.txt")));
        Assert.Equal(photo, File.ReadAllBytes(Path.Combine(b, "photos", "holiday.jpg")));
        Assert.Contains(GitCli.Run(a, "rev-parse", "main").Trim(), GitCli.Run(b, "log", "--format=%H", "main")); // A's history, not a copy

        File.WriteAllText(Path.Combine(b, "notes.txt"), "edited on B\n");
        await SyncOkAsync(b);
        await SyncOkAsync(a);
        Assert.Equal("edited on B\n", File.ReadAllText(Path.Combine(a, "notes.txt")));
        AssertOnlyCiphertext(store, "GPGHMACSHA1", 3);
    }

    [Fact]
    public async Task AHybridUrlIsRefusedWithoutOneOfItsSecretKeysAndJoinsWithOne()
    {
        RequireTools();
        using var gpg = new ThrowawayGpgHome();
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        gpg.UseFor(a, "cloud");
        Ok(await CliRunner.RunAsync(a, "remote", "add", "cloud", store, "--backend", "rsync", "--encryption", "hybrid", "--keyid", ThrowawayGpgHome.Email, "--git"));
        var content = WriteMarked(Path.Combine(a, "ledger.bin"), 1 << 20);
        await SyncOkAsync(a);
        var url = await JoinUrlAsync(a);
        Assert.Contains($"cipherkeys={gpg.KeyId}", url);

        var b = await InitAsync(dir.Path, dir.Combine("b"));
        var empty = dir.Combine("empty-gnupg");
        Directory.CreateDirectory(empty, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        GitCli.Run(b, "config", "remote.cloud.annex-gnupg-options", $"--homedir {empty}");
        var before = State(b);
        var refused = await CliRunner.RunAsync(b, "remote", "add", "cloud", url);
        GitCli.TryRunWith(null, "gpgconf", b, "--homedir", empty, "--kill", "gpg-agent");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"cannot decrypt the cipher of remote 'cloud' (encryption=hybrid, to gpg keys {gpg.KeyId})", refused.Error);
        Assert.Contains("nothing was changed", refused.Error);
        Assert.Equal(before, State(b));

        gpg.UseFor(b, "cloud");
        await JoinWithUrlAsync(b, url);
        Assert.Equal(RemoteLogFields(a, "cloud"), RemoteLogFields(b, "cloud"));
        await SyncOkAsync(b);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(b, "ledger.bin")));
    }

    [Fact]
    public async Task AnExternalRemoteIsJoinedWithItsTypeAndSettingsFromTheUrl()
    {
        RequireTools();
        ExternalRemoteFixture.RequireRclone();
        using var dir = new TempFolder();
        var store = dir.Combine("rclone+store"); // git-annex-remote-rclone takes no space in its prefix; '+' is escaped all the same
        Directory.CreateDirectory(store);
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "cloud", "external://rclone", "-c", "target=:local", "-c", $"prefix={store}", "--encryption", "shared", "--git"));
        var content = WriteMarked(Path.Combine(a, "report.pdf"), 1 << 20);
        await SyncOkAsync(a);
        var url = await JoinUrlAsync(a);
        Assert.StartsWith($"annex::{CloudUuid(a)}?type=external&", url);
        Assert.Contains("externaltype=rclone", url);
        Assert.Contains("target=:local", url);
        Assert.Contains("prefix=" + store.Replace("+", "%2B"), url); // escaped, as git-annex's parser unescapes it

        var b = await InitAsync(dir.Path, dir.Combine("b"));
        await JoinWithUrlAsync(b, url);
        Assert.Equal(RemoteLogFields(a, "cloud"), RemoteLogFields(b, "cloud"));
        Assert.Equal("rclone", GitCli.Run(b, "config", "remote.cloud.annex-externaltype").Trim()); // INITREMOTE ran, as enableremote does
        await SyncOkAsync(b);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(b, "report.pdf")));
        Assert.All(Listing(store), f => Assert.StartsWith("GPGHMACSHA1--", Path.GetFileName(f)));
    }

    [Fact]
    public async Task HostileOrWrongUrlsAreRefusedNamingTheFieldAndNothingIsWritten()
    {
        RequireTools();
        using var dir = new TempFolder();
        var store = dir.Combine("cloud");
        var a = await InitAsync(dir.Path, dir.Combine("a"));
        Ok(await CliRunner.RunAsync(a, "remote", "add", "cloud", store, "--backend", "rsync", "--encryption", "shared", "--git"));
        await SyncOkAsync(a);
        var good = await JoinUrlAsync(a);
        var uuid = CloudUuid(a);
        var cipher = Uri.EscapeDataString(RemoteLogFields(a, "cloud")["cipher"]);
        var b = await InitAsync(dir.Path, dir.Combine("b"));
        var before = State(b);

        (string Url, string Said)[] cases =
        [
            ("annex::", "the short form 'annex::'"),
            ("annex::https://example.com/repo", "annex::http(s):// URLs"),
            ($"annex::{uuid}", "has no fields"),
            ($"annex::not-a-uuid?type=rsync", "'not-a-uuid', is malformed"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=shared&cipher={cipher}&" + new string('x', 70_000), "more than 65536"),
            ($"annex::{uuid}?type=directory&directory=/mnt&encryption=none", "field 'type' is 'directory'"),
            ($"annex::{uuid}?type=rsync&encryption=none", "field 'rsyncurl' is missing"),
            ($"annex::{uuid}?type=rsync&rsyncurl=-e%20sh&encryption=none", "field 'rsyncurl' starts with '-'"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=none&chunk=1MiB", "field 'chunk' is not one tether knows"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&rsyncurl=/elsewhere&encryption=none", "field 'rsyncurl' is given twice"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=none&name=other", "field 'name' does not belong"),
            ($"annex::{uuid}?type=external&externaltype=rclone&tether-program=/bin/sh&encryption=none", "field 'tether-program' is a setting of one node"),
            ($"annex::{uuid}?type=external&externaltype=../../bin/sh&encryption=none", "field 'externaltype' is '../../bin/sh'"),
            ($"annex::{uuid}?type=rsync&rsyncurl=/tmp/a%0Ab&encryption=none", "field 'rsyncurl' of the annex:: URL holds a control character"),
            ($"annex::{uuid}?type=rsync&rsyncurl=/tmp/a%zz&encryption=none", "field 'rsyncurl' of the annex:: URL has a malformed escape"),
            ($"annex::{uuid}?type=rsync&rsyncurl=/tmp/a b&encryption=none", "field 'rsyncurl' of the annex:: URL holds ' '"),
            ($"annex::{uuid}?type=rsync&rsyncurl=/tmp/%C3%28&encryption=none", "field 'rsyncurl' of the annex:: URL is not UTF-8"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption", "field 'encryption' of the annex:: URL has no value"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&&encryption=none", "an empty field"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}", "field 'encryption' is missing"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=pubkey&cipher=abcd", "field 'encryption' is pubkey"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=shared", "field 'cipher' is missing"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=shared&cipher=%21%21%21", "field 'cipher' is not base64"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=shared&cipher=QUJD", "field 'cipher' is 3 bytes"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=none&cipher={cipher}", "field 'cipher' is given, but field 'encryption' is none"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=shared&mac=HMACMD5&cipher={cipher}", "field 'mac' is 'HMACMD5'"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=hybrid&cipher={cipher}", "field 'cipherkeys' is missing"),
            ($"annex::{uuid}?type=rsync&rsyncurl={store}&encryption=hybrid&cipherkeys=nothex&cipher={cipher}", "field 'cipherkeys' holds 'nothex'"),
            (good + "#evil=1", "ends in '#evil=1'"),
        ];
        foreach (var (url, said) in cases)
        {
            var add = await CliRunner.RunAsync(b, "remote", "add", "cloud", url);
            Assert.True(add.ExitCode == 2, $"{url[..Math.Min(200, url.Length)]}: {add}");
            Assert.Contains(said, add.Error);
            Assert.Contains("nothing was changed", add.Error);
            Assert.Equal(before, State(b));
        }

        // Options the URL carries are refused with it; a name remote.log gives another remote is refused before any write.
        var options = await CliRunner.RunAsync(b, "remote", "add", "cloud", good, "--encryption", "none");
        Assert.Equal(2, options.ExitCode);
        Assert.Contains("--encryption: an annex:: URL carries the remote's type", options.Error);
        Assert.Equal(before, State(b));
        Ok(await CliRunner.RunAsync(b, "remote", "add", "other", dir.Combine("other"), "--backend", "rsync", "--encryption", "shared"));
        var taken = await CliRunner.RunAsync(b, "remote", "add", "other", good);
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("already in the config", taken.Error);

        // A URL for a remote this repository records with other settings (stale, or another remote's cipher) is refused.
        Ok(await CliRunner.RunAsync(b, "remote", "add", "cloud", good));
        Ok(await CliRunner.RunAsync(b, "remote", "remove", "cloud"));
        var stale = good.Replace($"rsyncurl={store}", "rsyncurl=/elsewhere");
        var refused = await CliRunner.RunAsync(b, "remote", "add", "cloud2", stale);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("with another value of field 'rsyncurl' than the URL's", refused.Error);
    }

    /// <summary>What a refused join must leave as it was: the config, the git-annex branch and its journal, git config.</summary>
    private static string State(string node)
    {
        var journal = Path.Combine(node, ".git", "annex", "journal");
        var journalled = Directory.Exists(journal) ? string.Join("\n", Directory.GetFiles(journal).Order().Select(f => f + "\n" + File.ReadAllText(f))) : "";
        return string.Join("\n---\n", File.ReadAllText(Path.Combine(node, ".tether", "config.yml")), GitCli.Run(node, "rev-parse", "git-annex"), journalled,
            File.ReadAllText(Path.Combine(node, ".git", "config")));
    }
}
