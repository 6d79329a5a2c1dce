using System.Globalization;
using System.Text;
using Tether.Platform.Quoting;

namespace Tether.Platform.Ssh;

/// <summary>
/// How Tether runs OpenSSH, for git (GIT_SSH_COMMAND), rsync (-e) and the ssh plugin alike: the user's own ssh
/// (config, agent, known_hosts apply), in batch mode (never a prompt), one multiplexed connection per host
/// (ControlMaster=auto, ControlPersist=60, <see cref="SshControlPath"/>), and host keys always checked (we never
/// pass StrictHostKeyChecking=no). <c>TETHER_SSH_CONFIG</c> names an ssh_config file to use instead of
/// ~/.ssh/config (passed as -F).
/// </summary>
public static class SshCommandLine
{
    public const string ConfigVariable = "TETHER_SSH_CONFIG";

    /// <summary>
    /// The program run on the remote side: <c>tether</c> on the PATH a non-interactive ssh session gets, or what
    /// TETHER_REMOTE_COMMAND names (e.g. /opt/tether/tether).
    /// </summary>
    public static string RemoteTetherProgram =>
        Environment.GetEnvironmentVariable("TETHER_REMOTE_COMMAND") is { Length: > 0 } program ? program : "tether";

    /// <summary>ssh's options (everything before the host).</summary>
    /// <param name="multiplexed">
    /// True (short commands: rsync's, git's): ride the shared connection. False: a connection of its own, for a
    /// long-lived bulk stream (the ssh backend's content session): the multiplexing hop costs about a quarter of the
    /// throughput on a fast link, and that session is opened once and kept for every transfer anyway.
    /// </param>
    public static List<string> Options(int? port = null, bool multiplexed = true)
    {
        var options = new List<string>();
        if (Environment.GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } config) options.AddRange(["-F", config]);
        options.AddRange(["-o", "BatchMode=yes"]);
        if (multiplexed)
            options.AddRange(["-o", "ControlMaster=auto", "-o", $"ControlPath={SshControlPath.Pattern}", "-o", "ControlPersist=60"]);
        else
            options.AddRange(["-o", "ControlMaster=no", "-o", "ControlPath=none"]);
        if (port is { } p) options.AddRange(["-p", p.ToString(CultureInfo.InvariantCulture)]);
        return options;
    }

    /// <summary>The value of GIT_SSH_COMMAND (git runs it through the shell: each word quoted).</summary>
    public static string ForGit() => ShellQuote.QuoteAll(["ssh", .. Options()]);

    /// <summary>The ssh command as one string for rsync's -e (rsync splits it on spaces and honours quotes).</summary>
    public static string ForRsync(int? port = null) => string.Join(' ', new[] { "ssh" }.Concat(Options(port)).Select(QuoteForRsync));

    /// <summary>The remote command line, each word quoted (ssh joins the words with spaces for the remote shell).</summary>
    public static string RemoteCommand(IEnumerable<string> words) => ShellQuote.QuoteAll(words);

    /// <summary>rsync's own splitting of -e (not a shell): double quotes around a word with blanks or quotes in it.</summary>
    private static string QuoteForRsync(string word)
    {
        if (!word.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\')) return word;
        var quoted = new StringBuilder("\"");
        foreach (var c in word) quoted.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        return quoted.Append('"').ToString();
    }
}
