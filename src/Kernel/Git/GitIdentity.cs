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
            string.IsNullOrWhiteSpace(name) ? "Tether" : name,
            string.IsNullOrWhiteSpace(email) ? $"tether@{Environment.MachineName}" : email,
            clock.GetLocalNow());
    }
}
