using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Tether.Kernel.Native;

namespace Tether.Kernel.Hooks;

/// <summary>
/// Runs one hook command: argv as given (<see cref="ProcessStartInfo.ArgumentList"/>, no shell), in a process
/// group of its own (started through util-linux's <c>setsid</c>), the event JSON on stdin, stdout and stderr
/// kept as a capped tail. At the timeout the whole group gets SIGKILL, so children it started die with it.
/// The run is over when the hook has exited and its output is closed (a background child still holding the
/// output counts as still running, until the timeout).
/// </summary>
public static class HookProcess
{
    public const int OutputCapBytes = 64 * 1024;

    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    public static async Task<HookRunResult> RunAsync(
        string hookName, string eventName, HookCommandLine command, string stdinJson,
        IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var display = command.Display();
        var psi = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (SetsidPath is not null)
        {
            psi.FileName = SetsidPath;
            psi.ArgumentList.Add("--"); // the program may start with '-'
            psi.ArgumentList.Add(command.Program);
        }
        else psi.FileName = command.Program;
        foreach (var argument in command.Arguments) psi.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) psi.Environment[key] = value;

        var started = Stopwatch.StartNew();
        Process process;
        try { process = Process.Start(psi) ?? throw new InvalidOperationException("the process did not start"); }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return HookRunResult.NotRun(hookName, eventName, display, $"could not start {command.Program}: {e.Message}");
        }

        using (process)
        {
            var tail = new OutputTail(OutputCapBytes);
            var groupId = SetsidPath is not null ? process.Id : -1; // setsid made the hook the leader of a new group
            var stdin = WriteStdinAsync(process, stdinJson);
            var stdout = DrainAsync(process.StandardOutput.BaseStream, tail);
            var stderr = DrainAsync(process.StandardError.BaseStream, tail);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            bool killed = false;
            try
            {
                await process.WaitForExitAsync(deadline.Token);
                await Task.WhenAll(stdout, stderr).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                killed = true;
                Kill(process, groupId);
            }
            // Bounded: after SIGKILL to the group, exit and the pipes' end come at once.
            try { await Task.WhenAll(stdin, stdout, stderr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None); }
            catch (TimeoutException) { }
            if (killed) process.WaitForExit(5_000);
            started.Stop();

            bool timedOut = killed && !ct.IsCancellationRequested;
            int? exitCode = killed || !process.HasExited ? null : process.ExitCode;
            string? failure = killed && ct.IsCancellationRequested ? "stopped with the daemon" : null;
            return new HookRunResult(hookName, eventName, display, exitCode, timedOut, failure, tail.TotalBytes, tail.ToString(), started.Elapsed);
        }
    }

    private static void Kill(Process process, int groupId)
    {
        if (groupId > 0 && ProcessGroup.Kill(groupId)) return;
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already gone
    }

    private static async Task WriteStdinAsync(Process process, string json)
    {
        try
        {
            var stream = process.StandardInput.BaseStream;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(json + "\n"));
            await stream.FlushAsync();
        }
        catch (IOException) { } // the hook does not read its stdin: fine
        catch (ObjectDisposedException) { }
        finally
        {
            try { process.StandardInput.Close(); }
            catch (IOException) { }
        }
    }

    private static async Task DrainAsync(Stream stream, OutputTail tail)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) tail.Append(buffer.AsSpan(0, read));
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }
}
