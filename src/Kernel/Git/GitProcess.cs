using Tether.Platform.Processes;

namespace Tether.Kernel.Git;

/// <summary>
/// The system git, run by <see cref="ProcessRunner"/> in a fixed environment: no terminal prompts, C locale, so
/// output can be parsed and nothing waits for a password.
/// </summary>
public static class GitProcess
{
    /// <param name="standardInput">Text written to git's stdin (e.g. NUL-separated paths for --stdin -z), or null.</param>
    /// <param name="onStandardOutput">Given stdout piece by piece as it arrives (it is then not kept in the result).</param>
    /// <param name="returnWhenCancelled">A cancel returns a result marked cancelled rather than throwing.</param>
    public static Task<ProcessResult> RunAsync(string workDir, IEnumerable<string> args, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null,
        Action<string>? onStandardOutput = null, bool returnWhenCancelled = false)
    {
        var variables = new Dictionary<string, string> { ["GIT_TERMINAL_PROMPT"] = "0", ["LC_ALL"] = "C", ["GIT_SSH_VARIANT"] = "ssh" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) variables[name] = value;
        return ProcessRunner.RunAsync(new ProcessSpec("git", [.. args])
        {
            WorkingDirectory = workDir, Environment = variables, StandardInput = standardInput, MissingHint = "install git",
            OnStandardOutput = onStandardOutput, ReturnWhenCancelled = returnWhenCancelled,
        }, ct);
    }
}
