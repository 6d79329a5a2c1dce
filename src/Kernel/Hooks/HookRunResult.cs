namespace Tether.Kernel.Hooks;

/// <summary>How one run of one hook ended.</summary>
/// <param name="Hook">The hook's name (YAML name, or the drop-in's path relative to .tether/hooks).</param>
/// <param name="ExitCode">The exit status; null when the hook did not start or was killed.</param>
/// <param name="TimedOut">Killed (with its whole process group) at its timeout.</param>
/// <param name="Failure">Why it could not run (a template error, a program that could not start); null otherwise.</param>
/// <param name="OutputBytes">Everything it wrote to stdout and stderr, counted.</param>
/// <param name="Output">The last bytes of that output (capped), as text.</param>
public sealed record HookRunResult(
    string Hook,
    string Event,
    string Command,
    int? ExitCode,
    bool TimedOut,
    string? Failure,
    long OutputBytes,
    string Output,
    TimeSpan Duration)
{
    public bool Succeeded => Failure is null && !TimedOut && ExitCode == 0;

    public string Outcome =>
        Failure is not null ? $"failed: {Failure}"
        : TimedOut ? $"killed after its timeout of {Duration.TotalSeconds:0.#} s"
        : ExitCode == 0 ? "exit 0"
        : $"exit {ExitCode}";

    public static HookRunResult NotRun(string hook, string eventName, string command, string failure) =>
        new(hook, eventName, command, null, false, failure, 0, "", TimeSpan.Zero);
}
