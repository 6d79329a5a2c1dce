using Tether.Platform.Processes;

namespace Tether.Kernel.Hooks;

/// <summary>
/// Runs one hook command through <see cref="ProcessRunner"/>: argv as given (no shell), in a process group of its
/// own (so at the timeout SIGKILL reaches the children it started too), the event JSON on stdin, stdout and stderr
/// kept as one capped tail. The run is over when the hook has exited and its output is closed (a background child
/// still holding the output counts as still running, until the timeout).
/// </summary>
public static class HookProcess
{
    public const int OutputCapBytes = 64 * 1024;

    public static async Task<HookRunResult> RunAsync(
        string hookName, string eventName, HookCommandLine command, string stdinJson,
        IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var display = command.Display();
        var spec = new ProcessSpec(command.Program, command.Arguments)
        {
            WorkingDirectory = workingDirectory,
            Environment = environment,
            StandardInput = stdinJson + "\n",
            Timeout = timeout,
            OwnProcessGroup = true,
            CombinedOutputCap = OutputCapBytes,
            ReturnWhenCancelled = true,
        };
        ProcessResult result;
        try { result = await ProcessRunner.RunAsync(spec, ct); }
        catch (ProcessStartException e)
        {
            return HookRunResult.NotRun(hookName, eventName, display, $"could not start {command.Program}: {e.Reason}");
        }
        var failure = result.Cancelled ? "stopped with the daemon" : null;
        return new HookRunResult(hookName, eventName, display, result.ExitCode, result.TimedOut, failure, result.OutputBytes, result.Stdout, result.Duration);
    }
}
