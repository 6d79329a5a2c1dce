using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Backends;
using Tether.Kernel.Repositories;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins.External;

/// <summary>
/// The protocol's edges, against helper scripts of the test's own (bash, in the test's temp folder): garbage, over-long
/// lines, ERROR, a crash, a hang, a reply about another key, wrong versions, a missing program; and every request a
/// helper may make, answered as git-annex answers it (into a real repository's git-annex branch).
/// </summary>
public class HostileHelperTests
{
    private static readonly Key SomeKey = Key.Parse("SHA256E-s5--f2ca1bb6c7e907d06dafe4687e579fce76b37e4e93b7605022da52e6ccc26fd2.txt");

    /// <summary>A helper that handshakes, prepares, and answers CHECKPRESENT / TRANSFER / REMOVE with the given bash.</summary>
    private static string Helper(string check = "echo \"CHECKPRESENT-FAILURE $2\"", string transfer = "echo \"TRANSFER-SUCCESS $2 $3\"", string version = "echo VERSION 1") => $$"""
        {{version}}
        while IFS= read -r line; do
          set -- $line
          case "$1" in
            EXTENSIONS) echo "EXTENSIONS INFO" ;;
            PREPARE) echo PREPARE-SUCCESS ;;
            CHECKPRESENT) {{check}} ;;
            TRANSFER) {{transfer}} ;;
            REMOVE) echo "REMOVE-SUCCESS $2" ;;
            *) echo UNSUPPORTED-REQUEST ;;
          esac
        done
        """;

    private static IContentBackend Backend(ExternalRemoteFixture remote, string program, Dictionary<string, string>? more = null, IBackendHost? host = null)
    {
        var settings = new Dictionary<string, string> { ["tether-program"] = program, ["tether-request-timeout"] = "20" };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return ExternalRemoteFixture.Factory().Create(remote.Describe(settings, host));
    }

    [Fact]
    public async Task GarbageInsteadOfAReplyFailsTheRequestNamingRemoteProgramRequestAndLineAndTheNextRequestGetsAFreshHelper()
    {
        using var remote = new ExternalRemoteFixture();
        var once = Path.Combine(remote.Root, "once");
        var program = remote.Script("garbage", Helper(check: $"if [ ! -e '{once}' ]; then touch '{once}'; printf 'HELLO \\x01 WORLD\\n'; else echo \"CHECKPRESENT-FAILURE $2\"; fi"));
        await using var backend = Backend(remote, program);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.Contains($"remote 'cloud' ({program})", e.Message);
        Assert.Contains($"CHECKPRESENT {SomeKey}", e.Message);
        Assert.Contains(@"HELLO \x01 WORLD", e.Message); // quoted, control characters shown, never raw
        Assert.False(await backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.Equal(2, ExternalRemoteFixture.ProcessesStarted(backend)); // the confused one was dropped
    }

    [Fact]
    public async Task AnOverLongLineIsRefusedAtTheBoundNotBuffered()
    {
        using var remote = new ExternalRemoteFixture();
        var program = remote.Script("long", Helper(check: "head -c 10000000 /dev/zero | tr '\\0' a; echo"));
        await using var backend = Backend(remote, program);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.Contains("sent a line over 64 KiB", e.Message);
        Assert.Contains($"CHECKPRESENT {SomeKey}", e.Message);
    }

    [Fact]
    public async Task AnErrorMessageFailsTheRequestWithTheHelpersWords()
    {
        using var remote = new ExternalRemoteFixture();
        var program = remote.Script("error", Helper(check: "echo 'ERROR the bucket is on fire'"));
        await using var backend = Backend(remote, program);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.Contains("reported an error: the bucket is on fire", e.Message);
    }

    [Fact]
    public async Task AHelperThatCrashesMidRequestIsReportedWithItsExitStatusAndStderr()
    {
        using var remote = new ExternalRemoteFixture();
        var program = remote.Script("crash", Helper(check: "echo 'lost my credentials' >&2; exit 3"));
        await using var backend = Backend(remote, program);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.Contains("exited (status 3)", e.Message);
        Assert.Contains("lost my credentials", e.Message);
    }

    [Fact]
    public async Task AHelperThatHangsIsStoppedAtTheRequestTimeoutWithEverythingItStarted()
    {
        using var remote = new ExternalRemoteFixture();
        var pidFile = Path.Combine(remote.Root, "sleeper.pid");
        var program = remote.Script("hang", Helper(check: $"sleep 600 & echo $! > '{pidFile}'; wait"));
        await using var backend = Backend(remote, program, new() { ["tether-request-timeout"] = "1" });
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        Assert.Contains($"gave no answer to CHECKPRESENT {SomeKey} within 1 s", e.Message);
        var sleeper = int.Parse(File.ReadAllText(pidFile).Trim());
        await Eventually.TrueAsync(() => !File.Exists($"/proc/{sleeper}/stat") || File.ReadAllText($"/proc/{sleeper}/stat").Contains(") Z "), TimeSpan.FromSeconds(10),
            () => $"the helper's child {sleeper} outlived the timeout");
    }

    [Fact]
    public async Task ATransferThatStallsIsStoppedAfterTheStallTimeoutButProgressKeepsItAlive()
    {
        using var remote = new ExternalRemoteFixture();
        var source = Path.Combine(remote.Root, "src.bin");
        PluginTestFiles.WriteRandom(source, 1000);
        // Sends PROGRESS every 0.3 s for 2.5 s (longer than the 1 s stall bound), then nothing.
        var program = remote.Script("stall", Helper(transfer: "for i in 1 2 3 4 5 6 7 8; do echo \"PROGRESS $((i*100))\"; sleep 0.3; done; sleep 600"));
        await using var backend = Backend(remote, program, new() { ["tether-stall-timeout"] = "1" });
        var progress = new RecordedProgress();
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.StoreAsync(SomeKey, source, progress, CancellationToken.None));
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(2.4), $"stopped after {clock.Elapsed} although progress kept coming");
        Assert.Contains("within 1 s without any progress", e.Message);
        Assert.Equal([100, 200, 300, 400, 500, 600, 700, 800], progress.Values);
    }

    [Fact]
    public async Task TransferFailureIsACleanAnswerTheHelperIsKeptAndProgressIsReported()
    {
        using var remote = new ExternalRemoteFixture();
        var source = Path.Combine(remote.Root, "src.bin");
        PluginTestFiles.WriteRandom(source, 1000);
        var program = remote.Script("fail", Helper(transfer: "echo PROGRESS 100; echo PROGRESS 50; echo PROGRESS 700; echo \"TRANSFER-FAILURE $2 $3 disk on fire\""));
        await using var backend = Backend(remote, program);
        var progress = new RecordedProgress();
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.StoreAsync(SomeKey, source, progress, CancellationToken.None));
        Assert.Equal($"remote 'cloud' ({program}): TRANSFER STORE {SomeKey} failed: disk on fire", e.Message);
        Assert.Equal([100, 700], progress.Values); // a count going back is not reported
        await Assert.ThrowsAnyAsync<IOException>(() => backend.RetrieveAsync(SomeKey, Path.Combine(remote.Root, "dest"), progress, CancellationToken.None));
        Assert.Equal(1, ExternalRemoteFixture.ProcessesStarted(backend));
    }

    [Fact]
    public async Task AReplyAboutAnotherKeyIsRefused()
    {
        using var remote = new ExternalRemoteFixture();
        var program = remote.Script("other", Helper(check: "echo 'CHECKPRESENT-SUCCESS SHA256E-s1--00'"));
        await using var backend = Backend(remote, program);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.Contains("is about another key", e.Message);
    }

    [Theory]
    [InlineData("echo VERSION 99", "said 'VERSION 99' instead of VERSION 1")]
    [InlineData("echo 'hi there'", "said 'hi there' instead of VERSION 1")]
    [InlineData("exit 0", "exited (status 0)")]
    public async Task AHelperThatDoesNotStartTheProtocolIsReported(string start, string expected)
    {
        using var remote = new ExternalRemoteFixture();
        var program = remote.Script("badstart", Helper(version: start));
        await using var backend = Backend(remote, program);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.Contains($"remote 'cloud' ({program}): the start", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task AMissingHelperProgramNamesTheProgramAndHowToGetIt()
    {
        using var remote = new ExternalRemoteFixture();
        await using var backend = ExternalRemoteFixture.Factory().Create(new RemoteDescriptor("cloud", "external://nosuchthing", remote.Uuid, null) { GitDirectory = remote.GitDirectory });
        var e = await Assert.ThrowsAnyAsync<IOException>(() => backend.HasKeyAsync(SomeKey, CancellationToken.None));
        Assert.Contains("remote 'cloud': cannot run 'git-annex-remote-nosuchthing'", e.Message);
        Assert.Contains("apt-get install git-annex-remote-rclone", e.Message);
    }

    [Fact]
    public async Task SettingsTetherCannotHonourAreRefusedBeforeAnyHelperRuns()
    {
        var factory = ExternalRemoteFixture.Factory();
        Assert.Contains("encryption=shared is not supported", Assert.Throws<ArgumentException>(() =>
            factory.Create(new RemoteDescriptor("cloud", "external://rclone", null, null) { Settings = new Dictionary<string, string> { ["encryption"] = "shared" } })).Message);
        Assert.Contains("chunk=", Assert.Throws<ArgumentException>(() =>
            factory.Create(new RemoteDescriptor("cloud", "external://rclone", null, null) { Settings = new Dictionary<string, string> { ["chunk"] = "1MiB" } })).Message);
        Assert.Contains("remote.log records externaltype=evil", Assert.Throws<ArgumentException>(() =>
            factory.Create(new RemoteDescriptor("cloud", "external://rclone", null, null) { Settings = new Dictionary<string, string> { ["externaltype"] = "evil" } })).Message);
        Assert.Contains("is no external type", Assert.Throws<ArgumentException>(() =>
            factory.Create(new RemoteDescriptor("cloud", "external://../../bin/sh", null, null))).Message);
    }

    /// <summary>Every question a helper may ask during a request, answered as git-annex answers it; state and URLs land in git-annex's files.</summary>
    [Fact]
    public async Task TheHelpersRequestsAreAnsweredAsGitAnnexAnswersThem()
    {
        using var remote = new ExternalRemoteFixture();
        var repoPath = Path.Combine(remote.Root, "repo");
        Directory.Delete(repoPath, recursive: true);
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(repoPath, null, bare: false, CancellationToken.None);
        var answers = Path.Combine(remote.Root, "answers");
        string Ask(string q) => $"echo \"{q}\"; IFS= read -r a; echo \"$a\" >> '{answers}'";
        static string Tell(string q) => $"echo \"{q}\"";
        var ask = string.Join("; ", new[]
        {
            Ask("GETUUID"), Ask("GETGITDIR"), Ask("GETGITREMOTENAME"), Ask("DIRHASH-LOWER $2"), Ask("DIRHASH $2"), Ask("GETCONFIG foo"),
            Tell("SETCONFIG bar two words"), Ask("GETCONFIG bar"), Ask("GETCONFIG missing"), Ask("GETCREDS login"), Tell("SETCREDS login me pass word"),
            Ask("GETCREDS login"), Ask("GETSTATE $2"), Tell("SETSTATE $2 some state"), Ask("GETSTATE $2"), Tell("SETURIPRESENT $2 ipfs:abc"),
            Tell("SETURLPRESENT $2 http://example.com/x"), Tell("SETURLMISSING $2 http://example.com/x"), Ask("GETWANTED"),
        });
        var urls = $"echo \"GETURLS $2 \"; while IFS= read -r a && [ \"$a\" != 'VALUE ' ]; do echo \"$a\" >> '{answers}'; done";
        var program = remote.Script("asker", Helper(check: $"{ask}; {urls}; echo 'DEBUG a debug line'; echo 'INFO an info line'; echo 'SETWANTED include=*'; echo \"CHECKPRESENT-FAILURE $2\""));
        var host = new AnnexBranchBackendHost(repo, remote.Uuid, TimeProvider.System, NullLogger.Instance);
        await using var backend = ExternalRemoteFixture.Factory().Create(new RemoteDescriptor("cloud", "external://asker", remote.Uuid, null)
        {
            Settings = new Dictionary<string, string> { ["tether-program"] = program, ["tether-request-timeout"] = "20", ["foo"] = "a b" },
            GitDirectory = repo.GitDir, Host = host,
        });
        Assert.False(await backend.HasKeyAsync(SomeKey, CancellationToken.None));

        Assert.Equal(new[]
        {
            $"VALUE {remote.Uuid}", $"VALUE {repo.GitDir}", "VALUE cloud", $"VALUE {HashDirs.Lower(SomeKey)}", $"VALUE {HashDirs.Mixed(SomeKey)}", "VALUE a b",
            "VALUE two words", "VALUE ", "CREDS  ", "CREDS me pass word", "VALUE ", "VALUE some state", "VALUE ", "VALUE ipfs:abc",
        }, File.ReadAllLines(answers));
        // Creds: a local file as git-annex keeps them, owner-only, never in the branch.
        var creds = Path.Combine(repo.GitDir, "annex", "creds", $"{remote.Uuid}-login");
        Assert.Equal("me\npass word\n", File.ReadAllText(creds));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(creds));
        // State and URLs: git-annex's own files on the git-annex branch (journal), in its formats.
        using var branch = new GitAnnexBranch(repo, TimeProvider.System);
        Assert.Matches($@"^\d+(\.\d+)?s {remote.Uuid} some state\n$", branch.Read(RemoteStateLog.PathFor(SomeKey)));
        var web = branch.Read(UrlLog.PathFor(SomeKey))!;
        Assert.Matches(@"^\d+(\.\d+)?s 1 :ipfs:abc\n\d+(\.\d+)?s 0 http://example.com/x\n$", web);
        Assert.DoesNotContain("pass", string.Join("", Directory.GetFiles(repo.JournalDir).Select(File.ReadAllText)));
    }
}
