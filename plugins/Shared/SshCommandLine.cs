using System.Text;

namespace Tether.Plugins.Shared;

/// <summary>
/// How the shipped plugins run OpenSSH: the user's own ssh (config, agent, known_hosts apply), in batch mode (never
/// a prompt), one multiplexed connection per host (ControlMaster=auto, ControlPersist=60), and host keys always
/// checked (we never pass StrictHostKeyChecking=no). <c>TETHER_SSH_CONFIG</c> names an ssh_config file to use
/// instead of ~/.ssh/config (passed as -F). Shared as a source file by plugins/ssh and plugins/rsync.
/// </summary>
internal static class SshCommandLine
{
    public const string ConfigVariable = "TETHER_SSH_CONFIG";

    /// <summary>ssh's options (everything before the host).</summary>
    public static List<string> Options(int? port = null)
    {
        var options = new List<string>();
        if (Environment.GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } config) options.AddRange(["-F", config]);
        options.AddRange([
            "-o", "BatchMode=yes",
            "-o", "ControlMaster=auto",
            "-o", $"ControlPath={ControlDirectory()}/tether-ssh-%C",
            "-o", "ControlPersist=60",
        ]);
        if (port is { } p) options.AddRange(["-p", p.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return options;
    }

    /// <summary>The ssh command as one string for rsync's -e (rsync splits it on spaces and honours quotes).</summary>
    public static string ForRsync(int? port = null) => string.Join(' ', new[] { "ssh" }.Concat(Options(port)).Select(QuoteForRsync));

    /// <summary>Quotes one word for a POSIX shell (ssh joins the remote command's words with spaces for the remote shell).</summary>
    public static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@%+,".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>The remote command line, each word quoted.</summary>
    public static string RemoteCommand(IEnumerable<string> words) => string.Join(' ', words.Select(ShellQuote));

    /// <summary>What ssh's stderr means, in words a user can act on.</summary>
    public static string Explain(string host, int? port, string stderr)
    {
        var text = stderr.Trim();
        if (text.Contains("Host key verification failed", StringComparison.Ordinal) || text.Contains("No ED25519 host key is known", StringComparison.Ordinal)
            || text.Contains("host key is known", StringComparison.Ordinal) || text.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
        {
            var bareHost = host.Contains('@') ? host[(host.IndexOf('@') + 1)..] : host;
            var scan = port is { } p ? $"ssh-keyscan -p {p} {bareHost}" : $"ssh-keyscan {bareHost}";
            return $"the host key of {bareHost} is not trusted (ssh: {FirstLine(text)}). Tether never turns host key checking off: " +
                   $"check the key's fingerprint and trust it once, by connecting with 'ssh {(port is { } q ? $"-p {q} " : "")}{host}' " +
                   $"or with '{scan} >> ~/.ssh/known_hosts'";
        }
        if (text.Contains("Permission denied", StringComparison.Ordinal))
            return $"ssh to {host} was refused ({FirstLine(text)}): tether runs ssh in batch mode, so use a key (ssh-agent or IdentityFile in ~/.ssh/config), not a password";
        return $"ssh to {host} failed: {(text.Length == 0 ? "no error text" : text)}";
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string ControlDirectory()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime) && Directory.Exists(runtime)) return runtime;
        var dir = Path.Combine(Path.GetTempPath(), $"tether-ssh-{Environment.UserName}");
        if (!Directory.Exists(dir))
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    private static string QuoteForRsync(string word)
    {
        if (!word.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\')) return word;
        var quoted = new StringBuilder("\"");
        foreach (var c in word) quoted.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        return quoted.Append('"').ToString();
    }
}
