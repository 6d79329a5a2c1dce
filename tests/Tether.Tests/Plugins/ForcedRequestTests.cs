using System.IO.Pipes;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Repositories;
using Tether.Kernel.Shell;
using Tether.Platform.Protocol;
using Tether.Platform.Quoting;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins;

/// <summary>
/// What a forced `tether shell` reads from SSH_ORIGINAL_COMMAND (the forms git and Tether write, nothing a shell would
/// interpret), where a path really is (realpath, inside the key's directory), and NOTIFY in-process.
/// </summary>
public sealed class ForcedRequestTests
{
    [Theory]
    [InlineData("git-upload-pack '/srv/it'\\''s here'", ForcedRequestKind.UploadPack, "/srv/it's here", null)]
    [InlineData("git-receive-pack '/srv/wow'\\!''", ForcedRequestKind.ReceivePack, "/srv/wow!", null)]
    [InlineData("git-upload-pack '~/repo'", ForcedRequestKind.UploadPack, "~/repo", null)]
    [InlineData("'tether' 'shell' '/srv/a b' '--peer-uuid' '11111111-2222-3333-4444-555555555555'", ForcedRequestKind.TetherShell, "/srv/a b", "11111111-2222-3333-4444-555555555555")]
    [InlineData("'/opt/tether/tether' 'shell' 'repo'", ForcedRequestKind.TetherShell, "repo", null)]
    [InlineData("tether shell repo", ForcedRequestKind.TetherShell, "repo", null)]
    public void TheFormsGitAndTetherSendAreRead(string original, ForcedRequestKind kind, string path, string? peer)
    {
        Assert.Equal(new ForcedRequest(kind, path, peer), ForcedRequest.Parse(original));
    }

    [Theory]
    [InlineData("ls")]
    [InlineData("sh -c 'id'")]
    [InlineData("bash")]
    [InlineData("git-upload-pack '/srv/a'; id")]
    [InlineData("git-upload-pack '/srv/a' && id")]
    [InlineData("git-upload-pack $(id)")]
    [InlineData("git-upload-pack `id`")]
    [InlineData("git-upload-pack /srv/a | id")]
    [InlineData("git-upload-pack '/srv/a")]
    [InlineData("git-upload-pack \"/srv/a\"")]
    [InlineData("git-upload-pack '/srv/a' extra")]
    [InlineData("git-upload-pack '--upload-pack=id'")]
    [InlineData("git upload-pack '/srv/a'")]
    [InlineData("git-annex-shell configlist /srv/a")]
    [InlineData("tether sync")]
    [InlineData("tether shell /srv/a --config /etc/passwd")]
    [InlineData("tether shell /srv/a\nid")]
    [InlineData("not-tether shell /srv/a")]
    [InlineData("../tether shell /srv/a")]
    [InlineData("")]
    public void EverythingElseIsRefused(string original)
    {
        var refused = Assert.Throws<ShellRefusedException>(() => ForcedRequest.Parse(original));
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void TheWordsRoundTripWithTheQuotingRule()
    {
        string[] words = ["tether", "shell", "/srv/it's a \"test\" $HOME `x` \\ !", "--peer-uuid", "u"];
        Assert.Equal(words, ShellWords.TrySplit(ShellQuote.QuoteAll(words), out _));
    }

    [Fact]
    public void APathIsResolvedBeforeItIsCheckedAgainstTheDirectory()
    {
        using var dir = new TempFolder();
        var allowed = dir.Combine("srv");
        Directory.CreateDirectory(Path.Combine(allowed, "repo"));
        Directory.CreateDirectory(dir.Combine("outside"));
        File.CreateSymbolicLink(Path.Combine(allowed, "escape"), "../outside");
        File.CreateSymbolicLink(dir.Combine("srv-link"), allowed);
        Directory.CreateDirectory(dir.Combine("srv-sibling"));

        Assert.Equal(Path.Combine(allowed, "repo"), ShellConfinement.Resolve("srv/repo", allowed, dir.Path));
        Assert.Equal(Path.Combine(allowed, "repo"), ShellConfinement.Resolve("~/srv/repo", allowed, dir.Path));
        Assert.Equal(Path.Combine(allowed, "repo"), ShellConfinement.Resolve(dir.Combine("srv-link/repo"), allowed, dir.Path)); // a link into it is fine
        Assert.Equal(Path.Combine(allowed, "repo"), ShellConfinement.Resolve(Path.Combine(allowed, "repo"), dir.Combine("srv-link"), dir.Path));
        foreach (var outside in new[] { Path.Combine(allowed, "escape"), Path.Combine(allowed, "repo", "..", "..", "outside"), dir.Combine("srv-sibling"), "/", "srv/missing" })
            Assert.Throws<ShellRefusedException>(() => ShellConfinement.Resolve(outside, allowed, dir.Path));
        Assert.Throws<ShellRefusedException>(() => ShellConfinement.Resolve("~root/x", allowed, dir.Path));
        Assert.Throws<ShellRefusedException>(() => ShellConfinement.Resolve("srv/repo", dir.Combine("nowhere"), dir.Path));
    }

    [Fact]
    public void TheEnvironmentCanOnlyRestrictMore()
    {
        Dictionary<string, string> env = new() { [ShellRestrictions.ReadOnlyVariable] = "1" };
        Assert.Equal(ShellAccess.ReadOnly, ShellRestrictions.From(null, false, true, n => env.GetValueOrDefault(n)).Access);
        env = new() { [ShellRestrictions.AppendOnlyVariable] = "yes", [ShellRestrictions.DirectoryVariable] = "/srv" };
        Assert.Equal(new ShellRestrictions("/srv", ShellAccess.AppendOnly), ShellRestrictions.From(null, false, false, n => env.GetValueOrDefault(n)));
        env = new() { [ShellRestrictions.ReadOnlyVariable] = "0" };
        Assert.Equal(ShellRestrictions.None, ShellRestrictions.From(null, false, false, n => env.GetValueOrDefault(n)));
        env = new() { [ShellRestrictions.DirectoryVariable] = "/srv/a" };
        Assert.Throws<ShellRefusedException>(() => ShellRestrictions.From("/srv/b", false, false, n => env.GetValueOrDefault(n)));
    }

    [Fact]
    public async Task NotifySaysChangedWhenABranchMovesPingsOtherwiseAndEndsWhenTheClientCloses()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("server"), "server", false, CancellationToken.None);
        File.WriteAllText(dir.Combine("server/a.txt"), "a\n");
        GitCli.Run(repo.WorkTree!, "add", "a.txt");
        GitCli.Run(repo.WorkTree!, "commit", "-q", "-m", "a");
        using var toServer = new AnonymousPipeServerStream(PipeDirection.Out);
        using var serverIn = new AnonymousPipeClientStream(PipeDirection.In, toServer.ClientSafePipeHandle);
        using var fromServer = new AnonymousPipeServerStream(PipeDirection.In);
        using var serverOut = new AnonymousPipeClientStream(PipeDirection.Out, fromServer.ClientSafePipeHandle);
        var serving = Task.Run(() => new ShellServer(repo, null, serverIn, serverOut, TimeProvider.System, NullLogger.Instance, access: ShellAccess.ReadOnly).RunAsync(CancellationToken.None));
        var replies = new LineProtocolReader(fromServer);
        var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

        Assert.Equal(ShellServer.Greeting, await replies.ReadLineAsync(bound));
        await toServer.WriteAsync("NOTIFY\n"u8.ToArray(), bound);
        await toServer.FlushAsync(bound);
        Assert.Equal("OK", await replies.ReadLineAsync(bound));
        for (var i = 0; i < 3; i++)
        {
            GitCli.Run(repo.WorkTree!, "branch", $"moved-{i}");
            Assert.Equal("CHANGED", await replies.ReadLineAsync(bound));
        }
        GitCli.Run(repo.WorkTree!, "pack-refs", "--all"); // the same refs, packed: nothing changed
        GitCli.Run(repo.WorkTree!, "update-ref", "-d", "refs/heads/moved-0");
        Assert.Equal("CHANGED", await replies.ReadLineAsync(bound));

        toServer.Dispose(); // the client goes away
        await serving.WaitAsync(bound);
    }
}
