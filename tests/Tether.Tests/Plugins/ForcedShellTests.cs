using Tether.Platform.Processes;
using Tether.Platform.Quoting;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins;

/// <summary>
/// `tether shell --forced` as an authorized_keys forced command on the real test sshd: only Tether's own requests, only
/// inside the key's directory (symlinks and '..' resolved), and read-only and append-only enforced on the server whatever
/// the client sends; the server's refs and objects are unchanged after each refusal.
/// </summary>
public sealed class ForcedShellTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);
    private static int _keys;

    /// <summary>DIR (holding the server repository and a link out), a repository outside it, and a laptop.</summary>
    private sealed record Rig(TempFolder Temp, string Directory, string Server, string Outside, string Link, string Laptop);

    private static async Task<Rig> RigAsync()
    {
        var temp = new TempFolder();
        var directory = temp.Combine("srv");
        System.IO.Directory.CreateDirectory(directory);
        var server = Path.Combine(directory, "server");
        var outside = temp.Combine("outside");
        var laptop = temp.Combine("laptop");
        foreach (var repo in new[] { server, outside, laptop })
            Assert.Equal(0, (await CliRunner.RunAsync(temp.Path, "init", repo, "--description", Path.GetFileName(repo))).ExitCode);
        var link = Path.Combine(directory, "link");
        File.CreateSymbolicLink(link, "../outside");
        return new Rig(temp, directory, server, outside, link, laptop);
    }

    private string Key(string forcedCommand) =>
        sshd.AddKey($"forced-{Interlocked.Increment(ref _keys)}", $"command=\"{forcedCommand.Replace("\"", "\\\"")}\",restrict");

    /// <summary>ssh ALIAS COMMAND (the command as one string, as git and Tether send it), with stdin.</summary>
    private async Task<ProcessResult> SshAsync(string alias, string? command, string? stdin = null) =>
        await ProcessRunner.RunAsync(new ProcessSpec("ssh", ["-T", "-F", sshd.ConfigFile, "-o", "BatchMode=yes", alias, .. command is null ? Array.Empty<string>() : [command]])
            { StandardInput = stdin, Timeout = Bounded }, CancellationToken.None);

    private async Task<ProcessResult> GitAsync(string repo, params string[] args) =>
        await ProcessRunner.RunAsync(new ProcessSpec("git", args)
        {
            WorkingDirectory = repo, Timeout = Bounded,
            Environment = new Dictionary<string, string>
            {
                ["GIT_SSH_COMMAND"] = ShellQuote.QuoteAll(["ssh", "-F", sshd.ConfigFile, "-o", "BatchMode=yes"]),
                ["GIT_AUTHOR_NAME"] = "Test", ["GIT_COMMITTER_NAME"] = "Test", ["GIT_AUTHOR_EMAIL"] = "t@example.invalid", ["GIT_COMMITTER_EMAIL"] = "t@example.invalid",
            },
        }, CancellationToken.None);

    private static string Refs(string repo) => GitCli.Run(repo, "for-each-ref", "--format=%(objectname) %(refname)");

    /// <summary>Every file of the git and annex object stores.</summary>
    private static string Objects(string repo)
    {
        var folders = new[] { Path.Combine(repo, ".git", "objects"), Path.Combine(repo, ".git", "annex", "objects") }.Where(Directory.Exists);
        return string.Join('\n', folders.SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories)).Order(StringComparer.Ordinal));
    }

    private static void AssertRefused(ProcessResult result, string why)
    {
        Assert.True(result.ExitCode is not 0 and not null, $"expected a refusal: exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("tether shell: refused:", result.Stderr);
        Assert.Contains(why, result.Stderr);
        Assert.DoesNotContain("TETHER-SHELL", result.Stdout); // nothing was served
        Assert.Single(result.Stderr.Trim().Split('\n')); // one line
    }

    [Fact]
    public async Task OnlyTethersOwnRequestsInsideTheDirectoryRunAndEverythingElseIsRefusedLoggedAndRunsNothing()
    {
        sshd.Require();
        var rig = await RigAsync();
        using var _ = rig.Temp;
        var alias = Key($"tether shell --forced --directory {ShellQuote.Quote(rig.Directory)}");
        var marker = rig.Temp.Combine("ran");

        AssertRefused(await SshAsync(alias, "ls"), "is not a command this key may run");
        AssertRefused(await SshAsync(alias, $"sh -c 'touch {marker}'"), "is not a command this key may run");
        AssertRefused(await SshAsync(alias, $"tether shell {rig.Server}; touch {marker}"), "which a shell would interpret");
        AssertRefused(await SshAsync(alias, $"tether shell $(touch {marker})"), "which a shell would interpret");
        AssertRefused(await SshAsync(alias, null), "no command given");
        AssertRefused(await SshAsync(alias, $"git-upload-pack '{rig.Outside}'"), "is not a repository inside");
        AssertRefused(await SshAsync(alias, $"git-upload-pack '{rig.Directory}/../outside'"), "is not a repository inside");
        AssertRefused(await SshAsync(alias, $"git-receive-pack '{rig.Link}'"), "is not a repository inside");
        AssertRefused(await SshAsync(alias, $"'tether' 'shell' '{rig.Link}'"), "is not a repository inside");
        AssertRefused(await SshAsync(alias, $"tether shell {rig.Server} --exec sh"), "is not a command this key may run");
        Assert.False(File.Exists(marker), "a refused command ran");
        var log = File.ReadAllLines(Path.Combine(sshd.StateFolder, "tether", "shell.log"));
        Assert.Contains(log, l => l.Contains("refused from 127.0.0.1:") && l.Contains("sh -c 'touch"));
        Assert.Contains(log, l => l.Contains($"git-upload-pack '{rig.Outside}'") && l.Contains("is not a repository inside"));

        // Each allowed form works: the shell in the form Tether sends (quoted), and git's fetch and push in theirs.
        var shell = await SshAsync(alias, ShellQuote.QuoteAll(["tether", "shell", rig.Server]), "ACCESS\nQUIT\n");
        Assert.True(shell.ExitCode == 0, shell.Stderr);
        Assert.Equal("TETHER-SHELL 1\nOK full\n", shell.Stdout);
        var add = await TetherProcess.RunAsync(rig.Laptop, Bounded, sshd.Environment, "remote", "add", "server", $"{alias}:{rig.Server}");
        Assert.True(add.ExitCode == 0, add.Output);
        var content = PluginTestFiles.WriteRandom(Path.Combine(rig.Laptop, "big.bin"), 1 << 20);
        var (code, output) = await TetherProcess.RunAsync(rig.Laptop, Bounded, sshd.Environment, "sync");
        Assert.True(code == 0, output);
        Assert.Contains("big.bin", WatchingNode.TreePaths(rig.Server, "refs/heads/synced/main"));
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(rig.Server, ".git", "annex", "objects"), "*", SearchOption.AllDirectories),
            f => new FileInfo(f).Length == content.Length);
    }

    [Fact]
    public async Task AReadOnlyKeyFetchesButRefusesPushStoreAndRemoveAndRemoteAddSaysWhy()
    {
        sshd.Require();
        var rig = await RigAsync();
        using var _ = rig.Temp;
        File.WriteAllText(Path.Combine(rig.Server, "note.txt"), "on the server\n");
        Assert.Equal(0, (await CliRunner.RunAsync(rig.Server, "sync")).ExitCode);
        var alias = Key($"tether shell --forced --directory {ShellQuote.Quote(rig.Directory)} --read-only");
        var refs = Refs(rig.Server);
        var objects = Objects(rig.Server);

        var add = await TetherProcess.RunAsync(rig.Laptop, Bounded, sshd.Environment, "remote", "add", "server", $"{alias}:{rig.Server}");
        Assert.True(add.ExitCode != 0, add.Output);
        Assert.Contains("this key is read-only on the server", add.Output);
        Assert.Contains("nothing was changed", add.Output);
        Assert.DoesNotContain("server", GitCli.Run(rig.Laptop, "remote"));

        var fetch = await GitAsync(rig.Laptop, "fetch", $"{alias}:{rig.Server}", "refs/heads/main:refs/remotes/ro/main");
        Assert.True(fetch.ExitCode == 0, fetch.Stderr);
        var push = await GitAsync(rig.Laptop, "push", $"{alias}:{rig.Server}", "refs/remotes/ro/main:refs/heads/synced/other");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("tether shell: refused: this key is read-only: pushing (git-receive-pack) is refused", push.Stderr);

        var key = "SHA256E-s5--" + new string('a', 64) + ".txt";
        var session = await SshAsync(alias, ShellQuote.QuoteAll(["tether", "shell", rig.Server]), $"ACCESS\nSTORE {key} 5\nREMOVE {key}\nQUIT\n");
        Assert.Equal(0, session.ExitCode);
        Assert.Equal($"TETHER-SHELL 1\nOK read-only\nERROR STORE: refused: this key is read-only on {rig.Server}\n" +
                     $"ERROR REMOVE: refused: this key is read-only on {rig.Server}: content is never removed through it\n", session.Stdout);
        Assert.Equal(refs, Refs(rig.Server));
        Assert.Equal(objects, Objects(rig.Server));
    }

    [Fact]
    public async Task AnAppendOnlyKeySyncsButRefusesForcePushDeletionTagRewriteAndRemoveLeavingTheServerUnchanged()
    {
        sshd.Require();
        var rig = await RigAsync();
        using var _ = rig.Temp;
        var alias = Key($"tether shell --forced --directory {ShellQuote.Quote(rig.Directory)} --append-only");
        var add = await TetherProcess.RunAsync(rig.Laptop, Bounded, sshd.Environment, "remote", "add", "server", $"{alias}:{rig.Server}");
        Assert.True(add.ExitCode == 0, add.Output);
        Assert.Contains("append-only for this key", add.Output);

        // A full sync (git and content) goes through, twice (the second a fast-forward).
        PluginTestFiles.WriteRandom(Path.Combine(rig.Laptop, "big.bin"), 1 << 20);
        var (code, output) = await TetherProcess.RunAsync(rig.Laptop, Bounded, sshd.Environment, "sync");
        Assert.True(code == 0, output);
        File.WriteAllText(Path.Combine(rig.Laptop, "second.txt"), "more\n");
        (code, output) = await TetherProcess.RunAsync(rig.Laptop, Bounded, sshd.Environment, "sync");
        Assert.True(code == 0, output);
        Assert.Contains("second.txt", WatchingNode.TreePaths(rig.Server, "refs/heads/synced/main"));
        var key = PluginTestFiles.KeyOf(Path.Combine(rig.Laptop, "big.bin"));
        var url = $"{alias}:{rig.Server}";
        Assert.Equal(0, (await GitAsync(rig.Laptop, "push", url, "refs/heads/main:refs/tags/t1")).ExitCode); // a new ref: allowed

        var refs = Refs(rig.Server);
        var objects = Objects(rig.Server);
        GitCli.Run(rig.Laptop, "commit", "--amend", "-m", "rewritten");
        var force = await GitAsync(rig.Laptop, "push", "--force", url, "refs/heads/main:refs/heads/synced/main");
        Assert.NotEqual(0, force.ExitCode);
        Assert.Contains("append-only: refs/heads/synced/main would not move forward", force.Stderr);
        var delete = await GitAsync(rig.Laptop, "push", url, ":refs/heads/synced/main");
        Assert.NotEqual(0, delete.ExitCode);
        Assert.Contains("append-only: deleting refs/heads/synced/main is refused", delete.Stderr);
        var tag = await GitAsync(rig.Laptop, "push", "--force", url, "refs/heads/main:refs/tags/t1");
        Assert.NotEqual(0, tag.ExitCode);
        Assert.Contains("append-only: refs/tags/t1 would not move forward", tag.Stderr);
        var untag = await GitAsync(rig.Laptop, "push", "--no-verify", url, ":refs/tags/t1");
        Assert.NotEqual(0, untag.ExitCode);
        var remove = await SshAsync(alias, ShellQuote.QuoteAll(["tether", "shell", rig.Server]), $"REMOVE {key}\nQUIT\n");
        Assert.Equal($"TETHER-SHELL 1\nERROR REMOVE: refused: this key is append-only on {rig.Server}: content is never removed through it\n", remove.Stdout);

        Assert.Equal(refs, Refs(rig.Server));
        Assert.Equal(objects, Objects(rig.Server));
    }

    [Fact]
    public async Task TheEnvironmentVariablesRestrictAsTheOptionsDo()
    {
        sshd.Require();
        var rig = await RigAsync();
        using var _ = rig.Temp;
        var readOnly = Key($"TETHER_SHELL_DIRECTORY={ShellQuote.Quote(rig.Directory)} TETHER_SHELL_READONLY=1 tether shell --forced");
        var appendOnly = Key($"TETHER_SHELL_DIRECTORY={ShellQuote.Quote(rig.Directory)} TETHER_SHELL_APPENDONLY=1 tether shell --forced");

        AssertRefused(await SshAsync(readOnly, $"git-upload-pack '{rig.Outside}'"), "is not a repository inside");
        AssertRefused(await SshAsync(readOnly, $"git-receive-pack '{rig.Server}'"), "this key is read-only");
        var access = await SshAsync(readOnly, $"tether shell '{rig.Server}'", "ACCESS\nQUIT\n");
        Assert.Equal("TETHER-SHELL 1\nOK read-only\n", access.Stdout);
        access = await SshAsync(appendOnly, $"tether shell '{rig.Server}'", "ACCESS\nQUIT\n");
        Assert.Equal("TETHER-SHELL 1\nOK append-only\n", access.Stdout);
        AssertRefused(await SshAsync(appendOnly, $"tether shell '{rig.Link}'"), "is not a repository inside");
    }

    [Fact]
    public async Task SshAuthorizePrintsAndInstallsALineThatSshdEnforces()
    {
        sshd.Require();
        var rig = await RigAsync();
        using var _ = rig.Temp;
        var keyFile = rig.Temp.Combine("laptop_key");
        GitCli.RunTool("ssh-keygen", rig.Temp.Path, "-q", "-t", "ed25519", "-N", "", "-C", "me@laptop", "-f", keyFile);
        var blob = File.ReadAllText(keyFile + ".pub").Split(' ')[1];

        var printed = await CliRunner.RunAsync(rig.Temp.Path, "ssh-authorize", keyFile + ".pub", "--directory", rig.Directory, "--append-only", "--program", "tether");
        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.Equal($"command=\"tether shell --forced --directory {rig.Directory} --append-only\",restrict ssh-ed25519 {blob} me@laptop\n", printed.Out);
        var privateKey = await CliRunner.RunAsync(rig.Temp.Path, "ssh-authorize", keyFile);
        Assert.NotEqual(0, privateKey.ExitCode);
        Assert.Contains("is a private key", privateKey.Error);

        var authorized = Path.Combine(sshd.Folder, "authorized_keys");
        var installed = await CliRunner.RunAsync(rig.Temp.Path, "ssh-authorize", keyFile + ".pub", "--directory", rig.Directory, "--read-only",
            "--program", "tether", "--install", "--file", authorized);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        Assert.EndsWith($"command=\"tether shell --forced --directory {rig.Directory} --read-only\",restrict ssh-ed25519 {blob} me@laptop\n", File.ReadAllText(authorized));
        var again = await CliRunner.RunAsync(rig.Temp.Path, "ssh-authorize", keyFile + ".pub", "--install", "--file", authorized, "--program", "tether");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already authorizes this key", again.Error);

        var alias = sshd.AddHost($"authorized-{Interlocked.Increment(ref _keys)}", keyFile);
        AssertRefused(await SshAsync(alias, "id"), "is not a command this key may run");
        AssertRefused(await SshAsync(alias, $"git-receive-pack '{rig.Server}'"), "this key is read-only");
        Assert.Equal("TETHER-SHELL 1\nOK read-only\n", (await SshAsync(alias, $"tether shell '{rig.Server}'", "ACCESS\nQUIT\n")).Stdout);
    }
}
