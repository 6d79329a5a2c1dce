using Tether.Kernel.Shell;
using Tether.Platform.Processes;
using Tether.Platform.Ssh;

namespace Tether.Cli.Commands;

/// <summary>
/// What `tether remote add` asks an ssh remote before adding it: whether its `tether shell` serves that path for our
/// key at all, and with what access (ACCESS: full, append-only or read-only; a tether without ACCESS is full).
/// A server that cannot be reached now is no reason to refuse the remote: the answer is then unknown. A server that
/// answers without tether, or with no repository at that path, is: <see cref="Answer.Missing"/> says which.
/// </summary>
internal static class SshRemoteProbe
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <param name="Access">What the key may change; null when unknown (unreachable, or it refused: then <paramref name="Refusal"/>).</param>
    /// <param name="Refusal">The server's one-line refusal (`tether shell --forced`), when it refused.</param>
    /// <param name="Problem">Why it could not be asked, when it could not.</param>
    /// <param name="Missing">What the reachable server lacks (tether, or a repository at the path); null when nothing is known to be missing.</param>
    public sealed record Answer(ShellAccess? Access, string? Refusal, string? Problem, Lack? Missing = null);

    public enum Lack { Tether, Repository }

    /// <summary>Runs <c>tether init PATH</c> on the server (what `remote add --init` does); the error when it failed.</summary>
    public static async Task<string?> InitAsync(SshUrl url, CancellationToken ct)
    {
        string[] arguments =
        [
            .. SshCommandLine.Options(url.Port, multiplexed: false), "-o", "ConnectTimeout=10", "--", url.Destination,
            SshCommandLine.RemoteCommand([SshCommandLine.RemoteTetherProgram, "init", url.Path]),
        ];
        var result = await ProcessRunner.RunAsync(new ProcessSpec("ssh", arguments) { Timeout = Bound }, ct);
        return result.ExitCode == 0 && !result.TimedOut ? null : (result.Stderr.Trim() is { Length: > 0 } e ? e.ReplaceLineEndings(" ") : $"exit {result.ExitCode}");
    }

    public static async Task<Answer> AskAsync(SshUrl url, CancellationToken ct)
    {
        string[] arguments =
        [
            .. SshCommandLine.Options(url.Port, multiplexed: false), "-o", "ConnectTimeout=10", "--", url.Destination,
            SshCommandLine.RemoteCommand([SshCommandLine.RemoteTetherProgram, "shell", url.Path]),
        ];
        ProcessResult result;
        try { result = await ProcessRunner.RunAsync(new ProcessSpec("ssh", arguments) { StandardInput = "ACCESS\nQUIT\n", Timeout = Bound }, ct); }
        catch (ProcessStartException e) { return new Answer(null, null, e.Message); }
        var lines = result.Stdout.Split('\n', StringSplitOptions.TrimEntries);
        var stderr = result.Stderr.Trim();
        if (stderr.Split('\n').FirstOrDefault(l => l.StartsWith("tether shell: refused:", StringComparison.Ordinal)) is { } refusal)
            return new Answer(null, refusal["tether shell: refused:".Length..].Trim(), null);
        if (result.ExitCode == 127 || stderr.Contains("command not found", StringComparison.Ordinal) || stderr.EndsWith(": not found", StringComparison.Ordinal))
            return new Answer(null, null, "tether is not installed there, or not on the PATH a non-interactive ssh session sees", Lack.Tether);
        if (lines.Length < 2 && result.ExitCode == 2 && (stderr.Contains("no repository at", StringComparison.Ordinal)
                || stderr.Contains("is not a git repository", StringComparison.Ordinal) || stderr.Contains("does not exist", StringComparison.Ordinal)
                || stderr.Contains("no annex UUID", StringComparison.Ordinal)))
            return new Answer(null, null, stderr.Split('\n')[0].Replace("tether: ", "", StringComparison.Ordinal), Lack.Repository);
        if (lines.Length < 2 || lines[0] != ShellServer.Greeting)
        {
            var why = result.TimedOut ? $"no answer within {Bound.TotalSeconds:0} s"
                : result.ExitCode == 255 ? await SshFailure.ExplainAsync(url.Destination, url.Port, stderr, ct)
                : stderr.Length > 0 ? stderr.ReplaceLineEndings(" ") : $"exit {result.ExitCode}";
            return new Answer(null, null, why);
        }
        var access = lines[1].StartsWith("OK ", StringComparison.Ordinal) ? ShellAccessNames.Parse(lines[1][3..]) : null;
        return new Answer(access ?? ShellAccess.Full, null, null); // a tether from before ACCESS answers ERROR: it is unrestricted
    }
}
