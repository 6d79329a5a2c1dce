using System.CommandLine;
using Tether.Kernel.History;

namespace Tether.Cli.Commands;

/// <summary>`tether conflicts`: every conflict still present, its versions, from which node and when.</summary>
public static class ConflictsCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("conflicts", "List the conflicts still present: each file's versions, from which nodes, when");
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var conflicts = await new ConflictCentre(repo, ctx.Clock, ctx.Logger("conflicts")).ListAsync(ct);
            if (conflicts.Count == 0) await ctx.Out.WriteLineAsync("no conflicts");
            foreach (var conflict in conflicts)
            {
                await ctx.Out.WriteLineAsync($"{conflict.Path}: {conflict.Versions.Count} versions");
                foreach (var v in conflict.Versions)
                    await ctx.Out.WriteLineAsync($"  {v.Path}  from {v.Node}  {v.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {HistoryCommandSupport.Size(v.Size)}{(v.IsAnnexed ? " (annexed)" : "")}");
                await ctx.Out.WriteLineAsync($"  end it: tether resolve {conflict.Path} --keep {conflict.Versions[0].Path} (or --keep both, or --merge)");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
