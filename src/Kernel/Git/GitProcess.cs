using System.Diagnostics;

namespace Tether.Kernel.Git;

/// <summary>
/// Runs the system git with an argument list (never a shell string) in a fixed environment:
/// no terminal prompts, C locale, so output can be parsed and nothing waits for a password.
/// </summary>
public static class GitProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string ErrorText => string.IsNullOrWhiteSpace(Stderr) ? Stdout.Trim() : Stderr.Trim();
    }

    /// <param name="standardInput">Text written to git's stdin (e.g. NUL-separated paths for --stdin -z), or null.</param>
    public static async Task<Result> RunAsync(string workDir, IEnumerable<string> args, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["GIT_SSH_VARIANT"] = "ssh";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start git");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput.AsMemory(), ct);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
