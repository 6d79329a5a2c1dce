using System.CommandLine;
using System.Text.Json;
using Tether.Kernel.History;

namespace Tether.Cli.Commands;

/// <summary>`tether log [PATH] [--json]`: every version of a file (renames followed) or folder, newest first.</summary>
public static class LogCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var path = new Argument<string?>("PATH") { Description = "A file or folder (default: the whole folder synced)", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "One JSON array of the versions" };
        var command = new Command("log", "Show the versions of a file or folder: when, which node, what happened, where the content is") { path, json };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var relative = HistoryCommandSupport.RelativePath(ctx, repo, parsed.GetValue(path) ?? ".");
            var versions = await new FileHistory(repo, ctx.Clock).VersionsAsync(relative, ct);
            if (parsed.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(versions.Select(FileVersionJson.ToJson), new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Success;
            }
            if (versions.Count == 0) await ctx.Out.WriteLineAsync($"{(relative.Length == 0 ? "." : relative)}: no history");
            foreach (var v in versions) await ctx.Out.WriteLineAsync(Line(v));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Line(FileVersion v)
    {
        var what = v.Action switch
        {
            VersionAction.Renamed => $"renamed from {v.RenamedFrom}",
            VersionAction.ConflictVariant => "conflict variant",
            var action => action.ToString().ToLowerInvariant(),
        };
        var content = v.IsDeletion ? "" : $"  {HistoryCommandSupport.Size(v.Size)}  content {v.Content}";
        return $"{v.Number,4}  {v.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {v.Node}  {v.Path}  {what}{content}";
    }
}
