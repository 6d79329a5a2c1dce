using Tether.Platform.Processes;

namespace Tether.Platform.Ssh;

/// <summary>What ssh's stderr means, in words a user can act on (host key not trusted, password refused).</summary>
public static class SshFailure
{
    /// <summary>How long <c>ssh -G</c> may take (it makes no connection; a hang is a broken ssh or config).</summary>
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public static async Task<string> ExplainAsync(string host, int? port, string stderr, CancellationToken ct)
    {
        var text = stderr.Trim();
        if (text.Contains("Host key verification failed", StringComparison.Ordinal) || text.Contains("No ED25519 host key is known", StringComparison.Ordinal)
            || text.Contains("host key is known", StringComparison.Ordinal) || text.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
        {
            var (hostName, realPort) = await ResolveAsync(host, port, ct);
            return $"the ssh host key of {hostName} (port {realPort}) is not trusted (ssh: {FirstLine(text)}). Tether never turns host key checking off: " +
                   $"check the key's fingerprint and trust it once, by connecting with 'ssh {(port is { } q ? $"-p {q} " : "")}{host}' " +
                   $"or with 'ssh-keyscan -p {realPort} {hostName} >> ~/.ssh/known_hosts'";
        }
        if (text.Contains("Permission denied", StringComparison.Ordinal))
            return $"ssh to {host} was refused ({FirstLine(text)}): tether runs ssh in batch mode, so use a key (ssh-agent or IdentityFile in ~/.ssh/config), not a password";
        return $"ssh to {host} failed: {(text.Length == 0 ? "no error text" : text)}";
    }

    /// <summary>
    /// The host name and port ssh really connects to (aliases and ports from ssh_config resolved by <c>ssh -G</c>,
    /// bounded by a timeout); the given ones when ssh cannot tell.
    /// </summary>
    public static async Task<(string Host, int Port)> ResolveAsync(string host, int? port, CancellationToken ct)
    {
        var bare = host.Contains('@') ? host[(host.IndexOf('@') + 1)..] : host;
        ProcessResult result;
        try { result = await ProcessRunner.RunAsync(new ProcessSpec("ssh", [.. SshCommandLine.Options(port), "-G", "--", host]) { Timeout = ResolveTimeout }, ct); }
        catch (ProcessStartException) { return (bare, port ?? 22); }
        string? name = null;
        int? resolved = null;
        foreach (var line in result.Stdout.Split('\n'))
        {
            if (line.StartsWith("hostname ", StringComparison.Ordinal)) name = line[9..].Trim();
            if (line.StartsWith("port ", StringComparison.Ordinal) && int.TryParse(line[5..].Trim(), out var p)) resolved = p;
        }
        return (name ?? bare, resolved ?? port ?? 22);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
