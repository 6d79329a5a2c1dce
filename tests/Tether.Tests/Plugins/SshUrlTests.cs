using Tether.Kernel.Configuration;
using Tether.Platform.Ssh;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins;

/// <summary>
/// The ssh remote forms git accepts, parsed into user, host, port and path the same way by the kernel (backend
/// inference, config check) and the ssh and rsync plugins (all through Tether.Platform's <see cref="SshUrl"/>); a password in the
/// URL is refused, never read as a host.
/// </summary>
public sealed class SshUrlTests
{
    [Theory]
    [InlineData("ssh://user@host:2222/srv/repo", "user", "host", 2222, "/srv/repo", "user@host")]
    [InlineData("ssh://host/srv/repo", null, "host", null, "/srv/repo", "host")]
    [InlineData("ssh://host/~/repo", null, "host", null, "repo", "host")]
    [InlineData("git+ssh://git@example.org/a%20b", "git", "example.org", null, "/a b", "git@example.org")]
    [InlineData("user@host:path/to", "user", "host", null, "path/to", "user@host")]
    [InlineData("host:/abs", null, "host", null, "/abs", "host")]
    [InlineData("host:~/repo", null, "host", null, "repo", "host")]
    [InlineData("host:", null, "host", null, ".", "host")]
    [InlineData("ssh://[::1]/srv/repo", null, "::1", null, "/srv/repo", "::1")]
    [InlineData("ssh://user@[::1]:2222/srv/repo", "user", "::1", 2222, "/srv/repo", "user@::1")]
    [InlineData("[::1]:repo", null, "::1", null, "repo", "::1")]
    [InlineData("user@[fe80::1]:/srv", "user", "fe80::1", null, "/srv", "user@fe80::1")]
    public void TheFormsGitAcceptsParseIntoUserHostPortAndPath(string url, string? user, string host, int? port, string path, string destination)
    {
        var parsed = SshUrl.TryParse(url);

        Assert.Equal(new SshUrl(user, host, port, path), parsed);
        Assert.Equal(destination, parsed!.Destination);
        Assert.Equal(RemoteDefaults.SshBackend, RemoteDefaults.BackendFor(url));
    }

    [Fact]
    public void AnIpv6HostIsBracketedForRsyncArguments() =>
        Assert.Equal("user@[::1]", SshUrl.TryParse("ssh://user@[::1]/x")!.BracketedDestination);

    [Theory]
    [InlineData("/srv/repo")]
    [InlineData("./a:b")]
    [InlineData("C:\\repo")]
    [InlineData("file:///srv/repo")]
    [InlineData("rsync://host/x")]
    public void PathsAndOtherSchemesAreNotSsh(string url) => Assert.Null(SshUrl.TryParse(url));

    [Theory]
    [InlineData("ssh://user:pw@host/path")]
    [InlineData("ssh://user:pw@host:2222/path")]
    [InlineData("git+ssh://user:pw@[::1]/path")]
    public void APasswordInTheUrlIsRefusedWithoutRepeatingIt(string url)
    {
        var refused = Assert.Throws<ArgumentException>(() => SshUrl.TryParse(url));

        Assert.Contains("has a password in it: ssh never takes one from a URL", refused.Message);
        Assert.DoesNotContain("pw", refused.Message);
    }

    [Theory]
    [InlineData("ssh://host:99999/x", "is not a port number")]
    [InlineData("ssh://host:abc/x", "is not a port number")]
    [InlineData("ssh://host", "no path")]
    [InlineData("ssh://[::1/x", "has no ']'")]
    [InlineData("ssh://-oProxyCommand=x/y", "is not a host name")]
    [InlineData("ssh://-oProxyCommand=x@host/y", "starts with '-'")]
    [InlineData("-oProxyCommand=x@host:y", "starts with '-'")]
    public void AMalformedSshUrlIsRefusedSayingWhy(string url, string why) =>
        Assert.Contains(why, Assert.Throws<ArgumentException>(() => SshUrl.TryParse(url)).Message);

    [Fact]
    public async Task RemoteAddRefusesAPasswordInAnSshUrlAndChangesNothing()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "a")).ExitCode);
        var a = dir.Combine("a");
        var config = File.ReadAllText(Path.Combine(a, ".tether", "config.yml"));

        var result = await CliRunner.RunAsync(a, "remote", "add", "srv", "ssh://user:secret@host/path");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("has a password in it", line);
        Assert.DoesNotContain("secret", line);
        Assert.Equal(config, File.ReadAllText(Path.Combine(a, ".tether", "config.yml")));
        Assert.DoesNotContain("srv", GitCli.Run(a, "remote"));
    }
}
