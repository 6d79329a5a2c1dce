using Tether.Kernel.Repositories;

namespace Tether.Kernel.Encryption;

/// <summary>
/// Which gpg to run and with what, read from git config as git-annex reads it: <c>gpg.program</c> (default <c>gpg</c>),
/// <c>remote.NAME.annex-gnupg-options</c> (added to every gpg run for that remote) and
/// <c>remote.NAME.annex-gnupg-decrypt-options</c> (added when decrypting), split at whitespace. gpg's own
/// <c>GNUPGHOME</c> applies as always.
/// </summary>
public sealed record GpgSettings(string Program, IReadOnlyList<string> Options, IReadOnlyList<string> DecryptOptions)
{
    public static readonly GpgSettings Default = new("gpg", [], []);

    public static GpgSettings Read(AnnexRepository repo, string remoteName)
    {
        using var git = repo.OpenGit();
        string? Get(string name) => git.Config.Get<string>(name)?.Value;
        return new GpgSettings(
            Get("gpg.program") is { Length: > 0 } program ? program : "gpg",
            Words(Get($"remote.{remoteName}.annex-gnupg-options")),
            Words(Get($"remote.{remoteName}.annex-gnupg-decrypt-options")));
    }

    private static string[] Words(string? text) => text?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
}
