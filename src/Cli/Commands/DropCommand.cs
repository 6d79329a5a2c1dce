using System.CommandLine;
using Tether.Kernel.Content;

namespace Tether.Cli.Commands;

/// <summary>`tether drop [--auto] PATH...`: free local space, only when numcopies other copies are verified (with --auto, only content this repository does not want).</summary>
public static class DropCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.OneOrMore };
        var auto = new Option<bool>("--auto") { Description = "Only the files this repository does not want (the config's wants)" };
        var command = new Command("drop", "Remove local content of annexed files that enough remotes verifiably hold") { paths, auto };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            await using var support = await ContentCommandSupport.OpenAsync(ctx, ct);
            var dropper = new ContentDropper(support.Repo, ctx.Clock);
            var refused = 0;
            foreach (var file in new AnnexedPathResolver(support.Repo).Resolve(parsed.GetValue(paths)!, ctx.CurrentDirectory))
            {
                if (parsed.GetValue(auto) && support.Config.Wants.Wants(file.Path)) continue;
                var result = await dropper.DropAsync(file.Key, support.Remotes, support.Config.Annex.NumCopies, ct, file.Path);
                if (!result.Dropped) refused++;
                await ctx.Out.WriteLineAsync($"drop {file.Path}: {(result.Dropped ? "" : "REFUSED, ")}{result.Message}");
            }
            return refused == 0 ? ExitCodes.Success : ExitCodes.SyncFailed;
        });
        return command;
    }
}
