using System.Globalization;
using System.Text;
using Tether.Platform.Processes;
using Tether.Platform.Protocol;
using Tether.Platform.Ssh;

namespace Tether.Plugins.Ssh;

/// <summary>
/// One <c>ssh HOST tether shell PATH</c> process and its line protocol (requests and replies are one line each;
/// content follows an <c>OK</c> as a run of the announced length):
/// <code>
///   (greeting)               TETHER-SHELL 1
///   CONFIGLIST               OK &lt;uuid&gt;
///   HAVE &lt;key&gt;               OK 1 | OK 0
///   STORE &lt;key&gt; &lt;size&gt;       OK &lt;offset&gt;; client sends size-offset bytes; OK | ERROR &lt;why&gt;
///   RETRIEVE &lt;key&gt; &lt;offset&gt;  OK &lt;count&gt;; count bytes follow
///   REMOVE &lt;key&gt;             OK
///   QUIT
/// </code>
/// Failures answer <c>ERROR &lt;message&gt;</c>.
/// </summary>
internal sealed class ShellSession : IAsyncDisposable
{
    public const string Greeting = "TETHER-SHELL 1";

    private readonly RunningProcess _process;
    private readonly SshLocation _location;
    private readonly LineProtocolReader _reader;

    private ShellSession(RunningProcess process, SshLocation location)
    {
        _process = process;
        _location = location;
        // Blocking reads and writes on ssh's pipes: the async path over a full pipe spins (hundreds of thousands of
        // sched_yield calls for 1 GiB) and halved the throughput. A cancel kills ssh (Abort), which ends a blocked call.
        _reader = new LineProtocolReader(process.Output, blocking: true);
    }

    /// <summary>
    /// The program run on the remote side: <c>tether</c> on the PATH a non-interactive ssh session gets, or what
    /// TETHER_REMOTE_COMMAND names (e.g. /opt/tether/tether).
    /// </summary>
    public static string RemoteProgram => SshCommandLine.RemoteTetherProgram;

    public Stream Input => _process.Input;
    public LineProtocolReader Output => _reader;

    public static async Task<ShellSession> StartAsync(SshLocation location, string? peerUuid, CancellationToken ct)
    {
        var remote = new List<string> { RemoteProgram, "shell", location.Path };
        if (peerUuid is not null) remote.AddRange(["--peer-uuid", peerUuid]);
        string[] arguments =
        [
            .. SshCommandLine.Options(location.Port, multiplexed: false), .. await BulkCipher.OptionsAsync(location, ct),
            "--", location.Host, SshCommandLine.RemoteCommand(remote), // ssh joins words for the remote shell: quote each
        ];
        var process = ProcessRunner.Start(new ProcessSpec("ssh", arguments) { MissingHint = "install it with 'apt-get install openssh-client'" });
        var session = new ShellSession(process, location);
        try
        {
            var greeting = await session._reader.ReadLineAsync(ct);
            if (greeting != Greeting) throw await session.FailureAsync(greeting);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a request and reads its reply line; <c>ERROR</c> becomes an IOException.</summary>
    public async Task<string> RequestAsync(string request, CancellationToken ct)
    {
        await WriteLineAsync(request, ct);
        return await ReadReplyAsync(request.Split(' ')[0], ct);
    }

    public Task WriteLineAsync(string line, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Input.Write(Encoding.UTF8.GetBytes(line + "\n"));
        Input.Flush();
        return Task.CompletedTask;
    }

    /// <summary>Kills ssh at once (a cancel): whatever is blocked on its pipes returns.</summary>
    public void Abort() => _process.Kill();

    public async Task<string> ReadReplyAsync(string what, CancellationToken ct)
    {
        var reply = await _reader.ReadLineAsync(ct);
        if (reply is null) throw await FailureAsync(null);
        if (reply.StartsWith("ERROR", StringComparison.Ordinal)) throw new ShellErrorReply($"{_location.Host}: {what}: {reply[5..].Trim()}");
        if (reply == "OK") return "";
        if (!reply.StartsWith("OK ", StringComparison.Ordinal)) throw new IOException($"{_location.Host}: {what}: unexpected reply '{reply}'");
        return reply[3..];
    }

    public static long Number(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The session ended: say why, from ssh's exit code and stderr.</summary>
    private async Task<Exception> FailureAsync(string? unexpected)
    {
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var stderr = (await _process.StderrAsync(TimeSpan.FromSeconds(1))).Trim();
        var code = _process.ExitCode ?? -1;
        if (code == 255) return new IOException(await SshFailure.ExplainAsync(_location.Host, _location.Port, stderr, CancellationToken.None));
        if (code == 127 || stderr.Contains(": not found", StringComparison.Ordinal) || stderr.Contains("command not found", StringComparison.Ordinal)
            || stderr.Contains("No such file or directory", StringComparison.Ordinal) && code == 127)
            return new IOException($"tether is not installed on {_location.Display} (or not on PATH for non-interactive ssh): install it there, " +
                                   "or put it on the PATH that 'ssh HOST tether' sees (e.g. a symlink in /usr/local/bin)");
        if (code == 2 && (stderr.Contains("no repository at", StringComparison.Ordinal) || stderr.Contains("is not a git repository", StringComparison.Ordinal)))
            return new IOException($"no Tether repository at {_location.Path} on {_location.Display}: make one with 'tether init {_location.Path}' there " +
                                   "(or remove this remote and add it again with --init)");
        var detail = stderr.Length > 0 ? stderr : unexpected is null ? "it ended without a word" : $"it said '{unexpected}'";
        return new IOException($"tether shell on {_location.Display} failed (exit {code}): {detail}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                try { await WriteLineAsync("QUIT", CancellationToken.None); _process.CloseInput(); } catch (IOException) { }
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(5));
            }
        }
        finally
        {
            await _process.DisposeAsync(); // kills it (and what it started) if it is still there
        }
    }
}

/// <summary>The remote answered ERROR: the request failed, the session is still in step.</summary>
internal sealed class ShellErrorReply(string message) : IOException(message);
