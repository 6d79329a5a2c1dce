namespace Tether.Kernel.Status;

/// <summary>A transfer that failed or was cancelled and has not succeeded since: why, and what happens next.</summary>
/// <param name="Outcome">failed or cancelled.</param>
/// <param name="Next">What will happen to it: when it is retried, or what the user must do.</param>
public sealed record TransferProblem(string Direction, string File, string Remote, string Outcome, string Reason, string Next, DateTimeOffset At);
