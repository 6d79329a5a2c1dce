using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Tether.Platform.Processes;

/// <summary>
/// The one way Tether runs a program: an argument list (<see cref="ProcessStartInfo.ArgumentList"/>, never a shell
/// string), stdin given or closed, stdout and stderr drained side by side (never a deadlock on a full pipe), an
/// optional timeout, and cancellation that kills the program with everything it started (its process tree, or its
/// process group: <see cref="ProcessSpec.OwnProcessGroup"/>). <see cref="RunAsync"/> runs to the end;
/// <see cref="Start"/> hands back a long-lived program with its streams (an interactive session).
/// </summary>
public static class ProcessRunner
{
    /// <summary>How long the pipes may take to close once the program is killed (SIGKILL: at once, in practice).</summary>
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(5);

    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <exception cref="ProcessStartException">The program could not be started.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (unless <see cref="ProcessSpec.ReturnWhenCancelled"/>); the program was killed.</exception>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var process = Launch(spec, out var groupId);
        var tail = spec.CombinedOutputCap is { } cap ? new OutputTail(cap) : null;
        var stdoutSink = tail is not null ? OutputSink.Tail(tail) : spec.OnStandardOutput is { } onOutput ? OutputSink.Streamed(onOutput) : OutputSink.Whole();
        var stderrSink = tail is not null ? OutputSink.Tail(tail) : OutputSink.Whole();
        var stdin = WriteInputAsync(process, spec.StandardInput);
        var stdout = DrainAsync(process.StandardOutput.BaseStream, stdoutSink);
        var stderr = DrainAsync(process.StandardError.BaseStream, stderrSink);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (spec.Timeout is { } timeout) deadline.CancelAfter(timeout);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(stdout, stderr).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            killed = true;
            Kill(process, groupId);
        }
        try { await Task.WhenAll(stdin, stdout, stderr).WaitAsync(AfterKill, CancellationToken.None); }
        catch (TimeoutException) { }
        if (killed) await WaitForExitAsync(process, AfterKill);
        clock.Stop();

        var cancelled = killed && ct.IsCancellationRequested;
        if (cancelled && !spec.ReturnWhenCancelled) throw new OperationCanceledException(ct);
        return new ProcessResult(killed || !process.HasExited ? null : process.ExitCode, stdoutSink.Text(), tail is null ? stderrSink.Text() : "")
        {
            TimedOut = killed && !cancelled,
            Cancelled = cancelled,
            OutputBytes = stdoutSink.Bytes + stderrSink.Bytes,
            Duration = clock.Elapsed,
        };
    }

    /// <summary>
    /// Starts a long-lived program (an ssh session) and hands it back with its stdin and stdout; its stderr is kept
    /// as a capped tail for the error message. <see cref="ProcessSpec.Environment"/>, <see cref="ProcessSpec.WorkingDirectory"/>,
    /// <see cref="ProcessSpec.OwnProcessGroup"/> and <see cref="ProcessSpec.MissingHint"/> apply; the rest is the caller's.
    /// </summary>
    /// <exception cref="ProcessStartException">The program could not be started.</exception>
    public static RunningProcess Start(ProcessSpec spec)
    {
        var process = Launch(spec, out var groupId);
        return new RunningProcess(process, groupId);
    }

    /// <summary>
    /// Runs a program on this process's own stdin, stdout and stderr (nothing redirected) and returns its exit status:
    /// an ssh forced command handing its session to <c>git-upload-pack</c>. <see cref="ProcessSpec.Environment"/> and
    /// <see cref="ProcessSpec.WorkingDirectory"/> apply; a cancel kills it with its tree.
    /// </summary>
    /// <exception cref="ProcessStartException">The program could not be started.</exception>
    public static async Task<int> RunAttachedAsync(ProcessSpec spec, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(spec.Program) { UseShellExecute = false };
        if (spec.WorkingDirectory is not null) psi.WorkingDirectory = spec.WorkingDirectory;
        foreach (var argument in spec.Arguments) psi.ArgumentList.Add(argument);
        foreach (var (name, value) in spec.Environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        var process = StartOrThrow(spec, psi);
        using (process)
        {
            try { await process.WaitForExitAsync(ct); }
            catch (OperationCanceledException)
            {
                Kill(process, -1);
                throw;
            }
            return process.ExitCode;
        }
    }

    private static Process StartOrThrow(ProcessSpec spec, ProcessStartInfo psi)
    {
        try { return Process.Start(psi) ?? throw new InvalidOperationException("the process did not start"); }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new ProcessStartException(spec.Program, e.Message, spec.MissingHint, e);
        }
    }

    /// <summary>Starts the process with every stream redirected; <paramref name="groupId"/> is its own group's id, or -1.</summary>
    private static Process Launch(ProcessSpec spec, out int groupId)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (spec.WorkingDirectory is not null) psi.WorkingDirectory = spec.WorkingDirectory;
        var ownGroup = spec.OwnProcessGroup && SetsidPath is not null;
        if (ownGroup)
        {
            psi.FileName = SetsidPath!;
            psi.ArgumentList.Add("--"); // the program may start with '-'
            psi.ArgumentList.Add(spec.Program);
        }
        else psi.FileName = spec.Program;
        foreach (var argument in spec.Arguments) psi.ArgumentList.Add(argument);
        foreach (var (name, value) in spec.Environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        var process = StartOrThrow(spec, psi);
        groupId = ownGroup ? process.Id : -1; // setsid made the program the leader of a new group
        return process;
    }

    /// <summary>SIGKILL to the program's group when it has one, else to its process tree; a program already gone is fine.</summary>
    internal static void Kill(Process process, int groupId)
    {
        if (groupId > 0 && ProcessGroup.Kill(groupId)) return;
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already gone
    }

    internal static async Task WaitForExitAsync(Process process, TimeSpan bound)
    {
        using var wait = new CancellationTokenSource(bound);
        try { await process.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { }
    }

    private static async Task WriteInputAsync(Process process, string? text)
    {
        try
        {
            if (text is null) return;
            var stream = process.StandardInput.BaseStream;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
            await stream.FlushAsync();
        }
        catch (IOException) { } // it does not read its stdin (or exited): fine, its exit status tells
        catch (ObjectDisposedException) { }
        finally
        {
            try { process.StandardInput.Close(); }
            catch (IOException) { }
        }
    }

    private static async Task DrainAsync(Stream stream, OutputSink sink)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) sink.Append(buffer.AsSpan(0, read));
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }
}
