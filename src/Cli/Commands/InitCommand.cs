using System.CommandLine;
using Tether.Kernel.Configuration;

namespace Tether.Cli.Commands;

/// <summary>`tether init [DIR] [--description TEXT] [--bare] [--locked]`: a git repository with an annex UUID and a commented config. Harmless to repeat.</summary>
public static class InitCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var dir = new Argument<string?>("DIR") { Description = "Folder to initialise (default: the current one)", Arity = ArgumentArity.ZeroOrOne };
        var description = new Option<string?>("--description") { Description = "How this repository is named to the others (default: user@host:path)" };
        var bare = new Option<bool>("--bare") { Description = "A bare repository (a hub or backup with no work tree)" };
        var locked = new Option<bool>("--locked") { Description = "Add large files locked (read-only links into the annex) instead of as plain files you can edit (annex.unlocked: false)" };
        var command = new Command("init", "Make a folder a Tether repository (git + git-annex compatible)") { dir, description, bare, locked };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var path = Path.GetFullPath(parsed.GetValue(dir) ?? ".", ctx.CurrentDirectory);
            if (ctx.ConfigPath is not null) ConfigLoader.Load(ctx.ConfigPath); // a bad --config stops us before anything changes
            var (repo, wroteConfig) = await RepositorySetup.InitialiseAsync(ctx, path, parsed.GetValue(description), parsed.GetValue(bare), ct, parsed.GetValue(locked));
            await ctx.Out.WriteLineAsync($"Initialised {repo.DisplayPath} (annex uuid {repo.RequireUuid()})");
            if (wroteConfig is not null)
                await ctx.Out.WriteLineAsync($"Wrote {wroteConfig} (node-local, not synced): add remotes with 'tether remote add'");
            return ExitCodes.Success;
        });
        return command;
    }
}
