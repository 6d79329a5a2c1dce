using Tether.Kernel.Git;
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
            var (hostName, realPort) = Resolve(host, port);
            return $"the ssh host key of {hostName} (port {realPort}) is not trusted (ssh: {FirstLine(text)}). Tether never turns host key checking off: " +
                   $"check the key's fingerprint and trust it once, by connecting with 'ssh {(port is { } q ? $"-p {q} " : "")}{host}' " +
                   $"or with 'ssh-keyscan -p {realPort} {hostName} >> ~/.ssh/known_hosts'";
        }
        if (text.Contains("Permission denied", StringComparison.Ordinal))
            return $"ssh to {host} was refused ({FirstLine(text)}): tether runs ssh in batch mode, so use a key (ssh-agent or IdentityFile in ~/.ssh/config), not a password";
        return $"ssh to {host} failed: {(text.Length == 0 ? "no error text" : text)}";
    }

    /// <summary>The host name and port ssh really connects to (aliases and ports from ssh_config resolved by <c>ssh -G</c>).</summary>
    public static (string Host, int Port) Resolve(string host, int? port)
    {
        var bare = host.Contains('@') ? host[(host.IndexOf('@') + 1)..] : host;
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("ssh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var option in Options(port)) psi.ArgumentList.Add(option);
            psi.ArgumentList.Add("-G");
            psi.ArgumentList.Add(host);
            using var process = System.Diagnostics.Process.Start(psi)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            string? name = null;
            int? resolved = null;
            foreach (var line in output.Split('\n'))
            {
                if (line.StartsWith("hostname ", StringComparison.Ordinal)) name = line[9..].Trim();
                if (line.StartsWith("port ", StringComparison.Ordinal) && int.TryParse(line[5..].Trim(), out var p)) resolved = p;
            }
            return (name ?? bare, resolved ?? port ?? 22);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (bare, port ?? 22);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();


    private static string QuoteForRsync(string word)
    {
        if (!word.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\')) return word;
        var quoted = new StringBuilder("\"");
        foreach (var c in word) quoted.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        return quoted.Append('"').ToString();
    }
}
