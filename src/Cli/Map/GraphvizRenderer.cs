using Tether.Platform.Processes;

namespace Tether.Cli.Map;

/// <summary>Runs Graphviz's <c>dot</c> to turn DOT text into SVG.</summary>
public static class GraphvizRenderer
{
    public const string MissingMessage = "`dot` was not found: install Graphviz (Debian/Ubuntu: apt-get install graphviz) for --format svg, or use --format dot";

    /// <summary>Writes the SVG to <paramref name="outputPath"/>. Returns an error message, or null on success.</summary>
    public static async Task<string?> RenderSvgAsync(string dot, string outputPath, CancellationToken ct, string program = "dot")
    {
        ProcessResult result;
        try { result = await ProcessRunner.RunAsync(new ProcessSpec(program, ["-Tsvg", "-o", outputPath]) { StandardInput = dot }, ct); }
        catch (ProcessStartException) { return MissingMessage; }
        return result.ExitCode == 0 ? null : $"dot exited {result.ExitCode}: {result.Stderr.Trim()}";
    }

    /// <summary>The SVG as text (the dashboard's map), or the error; bounded in time.</summary>
    public static async Task<(string? Svg, string? Error)> RenderSvgTextAsync(string dot, CancellationToken ct, string program = "dot")
    {
        ProcessResult result;
        try { result = await ProcessRunner.RunAsync(new ProcessSpec(program, ["-Tsvg"]) { StandardInput = dot, Timeout = TimeSpan.FromSeconds(30) }, ct); }
        catch (ProcessStartException) { return (null, MissingMessage); }
        return result.ExitCode == 0 ? (result.Stdout, null) : (null, $"dot exited {result.ExitCode?.ToString() ?? "(killed)"}: {result.Stderr.Trim()}");
    }
}
