using Tether.Kernel.Hooks;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Git;

/// <summary>
/// The ssh command git uses for ssh remotes, matching the ssh plugin's: batch mode (never a prompt), one shared
/// OpenSSH connection per host (ControlMaster=auto, ControlPersist=60, same ControlPath as plugins/ssh, so git
/// and content share it), host keys always checked. <c>TETHER_SSH_CONFIG</c> names an ssh_config to use (-F).
/// The user's own GIT_SSH_COMMAND, GIT_SSH or core.sshCommand wins: then nothing is set.
/// </summary>
public static class SshMultiplexing
{
    public const string ConfigVariable = "TETHER_SSH_CONFIG";

    public static IReadOnlyDictionary<string, string>? GitEnvironment(AnnexRepository repo)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GIT_SSH_COMMAND")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GIT_SSH")))
            return null;
        using (var git = repo.OpenGit())
            if (git.Config.Get<string>("core.sshCommand") is not null) return null;
        var words = new List<string> { "ssh" };
        if (Environment.GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } config) words.AddRange(["-F", config]);
        words.AddRange(["-o", "BatchMode=yes", "-o", "ControlMaster=auto", "-o", $"ControlPath={SshControlPath.Pattern}", "-o", "ControlPersist=60"]);
        return new Dictionary<string, string> { ["GIT_SSH_COMMAND"] = ShellQuote.QuoteAll(words) };
    }
}
