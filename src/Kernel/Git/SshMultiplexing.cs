using Tether.Kernel.Repositories;
using Tether.Platform.Ssh;

namespace Tether.Kernel.Git;

/// <summary>
/// The ssh command git uses for ssh remotes: the same as the shipped plugins' (<see cref="SshCommandLine"/>: batch
/// mode, one shared OpenSSH connection per host, host keys always checked), so git and content share the connection.
/// The user's own GIT_SSH_COMMAND, GIT_SSH or core.sshCommand wins: then nothing is set.
/// </summary>
public static class SshMultiplexing
{
    public static IReadOnlyDictionary<string, string>? GitEnvironment(AnnexRepository repo)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GIT_SSH_COMMAND")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GIT_SSH")))
            return null;
        using (var git = repo.OpenGit())
            if (git.Config.Get<string>("core.sshCommand") is not null) return null;
        return new Dictionary<string, string> { ["GIT_SSH_COMMAND"] = SshCommandLine.ForGit() };
    }
}
