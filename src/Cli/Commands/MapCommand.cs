using System.CommandLine;
using Tether.Cli.Map;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Topology;

namespace Tether.Cli.Commands;

/// <summary>`tether map [--format text|dot|svg] [-o FILE]`: the network as the git-annex branch knows it.</summary>
public static class MapCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var format = new Option<string>("--format") { Description = "text (default), dot (Graphviz) or svg (needs Graphviz's dot)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "dot", "svg");
        var output = new Option<string?>("--output", "-o") { Description = "write to FILE instead of the terminal (required for svg)" };
        var command = new Command("map", "Show the network: every repository, their remotes and costs, and the tree content takes from here") { format, output };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            NetworkMap map;
            using (var branch = new GitAnnexBranch(repo, ctx.Clock, ctx.Logger("git-annex branch"))) map = NetworkMap.Read(branch, repo.RequireUuid());
            var file = parsed.GetValue(output) is { } o ? Path.GetFullPath(o, ctx.CurrentDirectory) : null;
            var live = await MapLiveState.ReadAsync(repo, ctx.LoadConfig(repo), ct);
            return parsed.GetValue(format) switch
            {
                "dot" => await WriteAsync(ctx, MapDotRenderer.Render(map, live), file, ct),
                "svg" => await WriteSvgAsync(ctx, MapDotRenderer.Render(map, live), file, ct),
                _ => await WriteAsync(ctx, MapTextRenderer.Render(map, live), file, ct),
            };
        });
        return command;
    }

    private static async Task<int> WriteAsync(CliContext ctx, string text, string? file, CancellationToken ct)
    {
        if (file is null) await ctx.Out.WriteAsync(text);
        else await File.WriteAllTextAsync(file, text, ct);
        return ExitCodes.Success;
    }

    private static async Task<int> WriteSvgAsync(CliContext ctx, string dot, string? file, CancellationToken ct)
    {
        if (file is null)
        {
            await ctx.Error.WriteLineAsync("tether map: --format svg needs -o FILE");
            return ExitCodes.UsageOrConfig;
        }
        if (await GraphvizRenderer.RenderSvgAsync(dot, file, ct) is not { } error) return ExitCodes.Success;
        await ctx.Error.WriteLineAsync($"tether map: {error}");
        return ExitCodes.SyncFailed;
    }
}
