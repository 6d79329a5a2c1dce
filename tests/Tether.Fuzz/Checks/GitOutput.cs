using System.Diagnostics;

namespace Tether.Fuzz.Checks;

/// <summary>
/// Runs git for what it prints on stdout only (GitCli merges stderr in): git warns on stderr about things it
/// tolerates, e.g. "ignoring NAME extension" for the conflict-name entries libgit2 keeps in the index after a merge.
/// </summary>
public static class GitOutput
{
    public static async Task<(int ExitCode, string Stdout)> RunAsync(string repo, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync(); // drained so git never blocks on a full pipe
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(true);
            throw new TimeoutException($"git {string.Join(' ', args)} timed out");
        }
        await stderr;
        return (process.ExitCode, await stdout);
    }
}
