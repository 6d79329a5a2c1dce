using System.Diagnostics;

namespace Tether.Tests.Support;

/// <summary>Runs the real git (and git-annex) as the oracle, arguments as a list, never through a shell.</summary>
public static class GitCli
{
    public static string Run(string workDir, params string[] args) => RunTool("git", workDir, args);

    public static (int ExitCode, string Output) TryRun(string workDir, params string[] args) => TryRunTool("git", workDir, args);

    public static string RunTool(string tool, string workDir, params string[] args)
    {
        var (code, output) = TryRunTool(tool, workDir, args);
        if (code != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {code}: {output}");
        return output;
    }

    public static (int ExitCode, string Output) TryRunTool(string tool, string workDir, params string[] args) => TryRunWith(null, tool, workDir, args);

    /// <summary>As <see cref="TryRunTool"/>, with <paramref name="environment"/> set for the child only (e.g. a test's GNUPGHOME).</summary>
    public static (int ExitCode, string Output) TryRunWith(IReadOnlyDictionary<string, string>? environment, string tool, string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(true); throw new TimeoutException($"{tool} {string.Join(' ', args)} timed out"); }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public static bool HasGitAnnex => TryRunTool("git", "/", "annex", "version").ExitCode == 0;
}
