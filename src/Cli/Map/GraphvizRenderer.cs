using System.ComponentModel;
using System.Diagnostics;

namespace Tether.Cli.Map;

/// <summary>Runs Graphviz's <c>dot</c> to turn DOT text into SVG.</summary>
public static class GraphvizRenderer
{
    public const string MissingMessage = "`dot` was not found: install Graphviz (Debian/Ubuntu: apt-get install graphviz) for --format svg, or use --format dot";

    /// <summary>Writes the SVG to <paramref name="outputPath"/>. Returns an error message, or null on success.</summary>
    public static async Task<string?> RenderSvgAsync(string dot, string outputPath, CancellationToken ct, string program = "dot")
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-Tsvg");
        psi.ArgumentList.Add("-o");
        psi.ArgumentList.Add(outputPath);
        Process process;
        try { process = Process.Start(psi)!; }
        catch (Win32Exception) { return MissingMessage; }
        using (process)
        {
            await process.StandardInput.WriteAsync(dot.AsMemory(), ct);
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return process.ExitCode == 0 ? null : $"dot exited {process.ExitCode}: {(await stderr).Trim()}";
        }
    }
}
