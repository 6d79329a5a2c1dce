using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Encryption;

/// <summary>
/// A gpg home of the test's own, in a temp folder, with one key made for it (batch generation, no passphrase, no agent
/// prompt). git-annex is pointed at it through GNUPGHOME (<see cref="Environment"/>), Tether through the repository's
/// <c>remote.NAME.annex-gnupg-options</c> (<see cref="UseFor"/>), which git-annex honours too. Its agent is stopped at the end.
/// </summary>
public sealed class ThrowawayGpgHome : IDisposable
{
    public const string Email = "tether-test@example.invalid";

    private readonly TempFolder _folder = new();

    public string Home { get; }

    /// <summary>The key's long id, as git-annex records it in cipherkeys=.</summary>
    public string KeyId { get; }

    public ThrowawayGpgHome()
    {
        Home = _folder.Combine("gnupg");
        Directory.CreateDirectory(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (code, output) = Gpg("--batch", "--passphrase", "", "--quick-gen-key", $"Tether Test <{Email}>", "future-default", "default", "never");
        Assert.True(code == 0, $"gpg could not make a test key (is gnupg installed? ./run-tests installs it): {output}");
        var (_, listing) = Gpg("--batch", "--with-colons", "--list-public-keys", Email);
        KeyId = listing.Split('\n').Select(l => l.Split(':')).First(f => f[0] == "pub")[4];
    }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["GNUPGHOME"] = Home };

    /// <summary>Points Tether (and git-annex) in <paramref name="repo"/> at this home for the remote <paramref name="remote"/>.</summary>
    public void UseFor(string repo, string remote) => GitCli.Run(repo, "config", $"remote.{remote}.annex-gnupg-options", $"--homedir {Home}");

    public (int ExitCode, string Output) Gpg(params string[] args) => GitCli.TryRunWith(Environment, "gpg", _folder.Path, args);

    public void Dispose()
    {
        GitCli.TryRunWith(Environment, "gpgconf", _folder.Path, "--kill", "gpg-agent");
        _folder.Dispose();
    }
}
