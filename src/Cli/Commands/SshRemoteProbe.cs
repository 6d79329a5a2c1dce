using Tether.Kernel.Shell;
using Tether.Platform.Processes;
using Tether.Platform.Ssh;

namespace Tether.Cli.Commands;

/// <summary>
/// What `tether remote add` asks an ssh remote before adding it: whether its `tether shell` serves that path for our
/// key at all, and with what access (ACCESS: full, append-only or read-only; a tether without ACCESS is full).
/// A server that cannot be reached now is no reason to refuse the remote: the answer is then unknown.
/// </summary>
internal static class SshRemoteProbe
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <param name="Access">What the key may change; null when unknown (unreachable, or it refused: then <paramref name="Refusal"/>).</param>
    /// <param name="Refusal">The server's one-line refusal (`tether shell --forced`), when it refused.</param>
    /// <param name="Problem">Why it could not be asked, when it could not.</param>
    public sealed record Answer(ShellAccess? Access, string? Refusal, string? Problem);

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
