namespace Tether.Platform.Processes;

/// <summary>The program could not be started (not installed, not executable); the message names it and how to get it.</summary>
public sealed class ProcessStartException(string program, string reason, string? hint, Exception inner)
    : InvalidOperationException($"cannot run '{program}' ({reason})" + (hint is null ? "" : $": {hint}"), inner)
{
    public string Program { get; } = program;

    /// <summary>Why, as the system said it (e.g. "No such file or directory").</summary>
    public string Reason { get; } = reason;
}
