namespace Tether.Platform.Processes;

/// <summary>How a run ended and what it wrote (UTF-8; invalid bytes replaced).</summary>
/// <param name="ExitCode">The exit status; null when it was killed (timeout, cancellation).</param>
public sealed record ProcessResult(int? ExitCode, string Stdout, string Stderr)
{
    /// <summary>Killed, with everything it started, at <see cref="ProcessSpec.Timeout"/>.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Killed because the run was cancelled (only returned with <see cref="ProcessSpec.ReturnWhenCancelled"/>).</summary>
    public bool Cancelled { get; init; }

    /// <summary>Everything it wrote to stdout and stderr, counted (also what a cap did not keep).</summary>
    public long OutputBytes { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>What to show when it failed: stderr, else stdout.</summary>
    public string ErrorText => string.IsNullOrWhiteSpace(Stderr) ? Stdout.Trim() : Stderr.Trim();
}
