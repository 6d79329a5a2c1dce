using System.CommandLine;
using Tether.Kernel.Content;

namespace Tether.Cli.Commands;

/// <summary>`tether whereis PATH...`: which repositories have each file's content.</summary>
public static class WhereisCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("whereis", "Show which repositories have the content of annexed files") { paths };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var whereIs = new WhereIs(repo, ctx.Clock);
            foreach (var file in new AnnexedPathResolver(repo).Resolve(parsed.GetValue(paths)!, ctx.CurrentDirectory))
            {
                var locations = whereIs.Locate(file.Key);
                await ctx.Out.WriteLineAsync($"{file.Path} ({locations.Count} cop{(locations.Count == 1 ? "y" : "ies")})");
                foreach (var at in locations)
                    await ctx.Out.WriteLineAsync($"  {at.Uuid} -- {at.Description}{(at.IsHere ? " [here]" : at.RemoteName is { } r ? $" [{r}]" : "")}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
