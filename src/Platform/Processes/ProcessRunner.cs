using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Tether.Plugins.Shared;

/// <summary>Runs a system program with an argument list (never a shell string); kills its whole tree when cancelled.</summary>
internal static class ExternalProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <param name="onOutput">Called with each chunk of stdout as it arrives (progress); stdout is then not kept.</param>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> args, string missingHint, CancellationToken ct, Action<string>? onOutput = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["LC_ALL"] = "C";
        Process process;
        try { process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}"); }
        catch (Win32Exception e) { throw new InvalidOperationException($"cannot run '{program}' ({e.Message}): {missingHint}", e); }
        using (process)
        {
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var stdout = new StringBuilder();
            var reading = Task.Run(async () =>
            {
                var buffer = new char[4096];
                int read;
                while ((read = await process.StandardOutput.ReadAsync(buffer, CancellationToken.None)) > 0)
                {
                    var chunk = new string(buffer, 0, read);
                    if (onOutput is null) stdout.Append(chunk);
                    else onOutput(chunk);
                }
            }, CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw;
            }
            await reading;
            return new Result(process.ExitCode, stdout.ToString(), await stderr);
        }
    }
}
