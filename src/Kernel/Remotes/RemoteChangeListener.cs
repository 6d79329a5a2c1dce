using Microsoft.Extensions.Logging;
using Tether.Platform.Drives;
using Tether.Platform.Processes;
using Tether.Platform.Protocol;
using Tether.Platform.Ssh;

namespace Tether.Kernel.Remotes;

/// <summary>
/// The laptop side of live notification (git-annex's remotedaemon): one long-lived <c>ssh HOST tether shell PATH</c>
/// session per ssh remote, in NOTIFY mode (Kernel/Shell's <c>RefChangeNotifier</c> on the other end), over the shared
/// multiplexed connection. Each <c>CHANGED</c> asks for a pull; every (re)connection asks for a pull and a push, so a
/// change made on either side while the session was down is never missed. A lost session (network gone, sshd
/// restarted, nothing heard for <see cref="Silence"/>) is reopened after a back-off of 1 s doubling to
/// <see cref="MaxBackoff"/>. A server whose tether has no NOTIFY is left alone (the retry timer still syncs).
/// Requests are merged by the remote's worker while it is busy, so a burst of changes costs a few pulls.
/// A local-path remote on a network mount (NFS, SMB, sshfs...) gets the same session from a <c>tether shell</c>
/// started here: inotify on this machine never sees another machine's push there, so that shell compares the refs
/// every second (<see cref="Shell.RefChangeNotifier.NetworkPoll"/>) as well as on inotify's word.
/// </summary>
public sealed class RemoteChangeListener(ProcessSpec session, string remoteName, Action<bool> requestSync, Action<bool?> liveChanged, TimeProvider clock, ILogger log)
{
    /// <summary>The server sends PING every 20 s while quiet; three missed ones mean the connection is gone.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(65);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A listener for a remote the ssh backend serves (backend <c>ssh</c> at an ssh URL), or for a local-path remote on
    /// a network filesystem (<paramref name="workTree"/> resolves a relative path); null for any other.
    /// </summary>
    public static RemoteChangeListener? For(Remote remote, string workTree, Action<bool> requestSync, Action<bool?> liveChanged, TimeProvider clock, ILogger log)
    {
        if (remote.IsLocalPath)
        {
            var path = Path.GetFullPath(Path.Combine(workTree, remote.LocalPath));
            return Directory.Exists(path) && MountTable.IsOnNetworkFilesystem(path)
                ? new RemoteChangeListener(LocalShell(path), remote.Name, requestSync, liveChanged, clock, log)
                : null;
        }
        if (remote.Backend != "ssh") return null;
        SshUrl? url;
        try { url = SshUrl.TryParse(remote.Url); }
        catch (ArgumentException) { return null; }
        return url is null ? null : new RemoteChangeListener(SshShell(url), remote.Name, requestSync, liveChanged, clock, log);
    }

    private static ProcessSpec SshShell(SshUrl location) => new("ssh",
    [
        .. SshCommandLine.Options(location.Port), "--", location.Destination,
        SshCommandLine.RemoteCommand([SshCommandLine.RemoteTetherProgram, "shell", location.Path]),
    ]) { MissingHint = "install it with 'apt-get install openssh-client'" };

    /// <summary>This very program, <c>tether shell PATH</c> (run as <c>dotnet tether.dll</c>, the same way).</summary>
    private static ProcessSpec LocalShell(string path)
    {
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown");
        return Path.GetFileNameWithoutExtension(program) == "dotnet"
            ? new ProcessSpec(program, [Environment.GetCommandLineArgs()[0], "shell", path])
            : new ProcessSpec(program, ["shell", path]);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = FirstBackoff;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await ListenAsync(() => backoff = FirstBackoff, ct)) return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is IOException or ProcessStartException or ObjectDisposedException or OperationCanceledException)
            {
                log.LogInformation("{Remote}: change notification lost ({Error}); reconnecting in {Delay}", remoteName, e.Message, backoff);
            }
            catch (OperationCanceledException) { break; }
            liveChanged(false);
            try { await Task.Delay(backoff, clock, ct); }
            catch (OperationCanceledException) { break; }
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
        liveChanged(null);
    }

    /// <summary>One session, until it ends; false when the server cannot notify (nothing to retry).</summary>
    private async Task<bool> ListenAsync(Action connected, CancellationToken ct)
    {
        await using var ssh = ProcessRunner.Start(session);
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Whatever ends the wait (a stop, silence) kills ssh, which ends a read blocked on its pipe.
        await using var kill = silence.Token.Register(ssh.Kill);
        var reader = new LineProtocolReader(ssh.Output);
        silence.CancelAfter(Silence);
        if (await reader.ReadLineAsync(silence.Token) != "TETHER-SHELL 1") throw await EndedAsync(ssh, "it did not greet");
        await ssh.Input.WriteAsync("NOTIFY\n"u8.ToArray(), silence.Token);
        await ssh.Input.FlushAsync(silence.Token);
        var answer = await reader.ReadLineAsync(silence.Token);
        if (answer is not null && answer.StartsWith("ERROR", StringComparison.Ordinal))
        {
            log.LogInformation("{Remote}: the server cannot notify changes ({Answer}); relying on pushes and retries", remoteName, answer);
            return false;
        }
        if (answer != "OK") throw await EndedAsync(ssh, "NOTIFY was not accepted");
        connected();
        liveChanged(true);
        log.LogInformation("{Remote}: listening for changes", remoteName);
        requestSync(true); // whatever changed while we were not listening, both ways
        while (true)
        {
            silence.CancelAfter(Silence);
            string? line;
            try { line = await reader.ReadLineAsync(silence.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { throw new IOException($"nothing heard for {Silence.TotalSeconds:0} s"); }
            if (ct.IsCancellationRequested) ct.ThrowIfCancellationRequested();
            if (line is null) throw await EndedAsync(ssh, "the session ended");
            if (line == "CHANGED")
            {
                log.LogDebug("{Remote}: its branches changed; pulling", remoteName);
                requestSync(false);
            }
        }
    }

    private static async Task<IOException> EndedAsync(RunningProcess ssh, string what)
    {
        await ssh.WaitForExitAsync(TimeSpan.FromSeconds(2));
        var stderr = (await ssh.StderrAsync(TimeSpan.FromMilliseconds(500))).Trim().ReplaceLineEndings(" ");
        return new IOException(stderr.Length > 0 ? $"{what}: {stderr}" : what);
    }
}
