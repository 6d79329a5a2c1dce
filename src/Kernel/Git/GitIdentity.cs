using LibGit2Sharp;

namespace Tether.Kernel.Git;

/// <summary>The signature Tether commits with: the user's git identity when configured, else "Tether".</summary>
public static class GitIdentity
{
    public static Signature For(Repository repo, TimeProvider clock)
    {
        var name = repo.Config.Get<string>("user.name")?.Value;
        var email = repo.Config.Get<string>("user.email")?.Value;
        return new Signature(
            string.IsNullOrWhiteSpace(name) ? DefaultName : name,
            string.IsNullOrWhiteSpace(email) ? DefaultEmail : email,
            clock.GetLocalNow());
    }

    public const string DefaultName = "Tether";
    public static string DefaultEmail => $"tether@{Environment.MachineName}";

    /// <summary>
    /// When no identity is configured anywhere (a fresh HOME), sets this repository's own user.name and user.email to the
    /// one Tether commits with, so git and git-annex work in it at once (git-annex's own commits need one). Returns true
    /// when it set them. An identity given by environment variables (GIT_AUTHOR_EMAIL, EMAIL) counts as configured.
    /// </summary>
    public static bool EnsureConfigured(Repository repo)
    {
        var hasName = !string.IsNullOrWhiteSpace(repo.Config.Get<string>("user.name")?.Value);
        var hasEmail = !string.IsNullOrWhiteSpace(repo.Config.Get<string>("user.email")?.Value)
            || Environment.GetEnvironmentVariable("GIT_AUTHOR_EMAIL") is { Length: > 0 } || Environment.GetEnvironmentVariable("EMAIL") is { Length: > 0 };
        if (hasName && hasEmail) return false;
        if (!hasName) repo.Config.Set("user.name", DefaultName, ConfigurationLevel.Local);
        if (!hasEmail) repo.Config.Set("user.email", DefaultEmail, ConfigurationLevel.Local);
        return true;
    }
}
