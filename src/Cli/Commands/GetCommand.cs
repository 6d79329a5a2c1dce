using System.CommandLine;
using Tether.Kernel.Content;

namespace Tether.Cli.Commands;

/// <summary>`tether get [--auto] PATH...`: fetch missing content from the cheapest remote that has it (with --auto, only wanted content).</summary>
public static class GetCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Annexed files or folders (all annexed files under a folder; . for everything)", Arity = ArgumentArity.OneOrMore };
        var auto = new Option<bool>("--auto") { Description = "Only the files this repository wants (the config's wants)" };
        var command = new Command("get", "Fetch the content of annexed files (files or folders)") { paths, auto };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            await using var support = await ContentCommandSupport.OpenAsync(ctx, ct);
            var files = new AnnexedPathResolver(support.Repo).Resolve(parsed.GetValue(paths)!, ctx.CurrentDirectory)
                .Where(f => !parsed.GetValue(auto) || support.Config.Wants.Wants(f.Path)).ToList();
            var hooks = HistoryCommandSupport.Hooks(ctx, support.Repo, support.Config);
            var missing = await TransferDisplay.RunAsync(ctx, observer =>
                new ContentGetter(support.Repo, ctx.Clock, ctx.Logger("get")) { Observer = observer, Events = hooks.Events }.GetAsync(files, support.Remotes, ct));
            foreach (var file in files.Where(f => !missing.ContainsKey(f.Path))) await ctx.Out.WriteLineAsync($"get {file.Path}: ok");
            foreach (var (path, reason) in missing) await ctx.Out.WriteLineAsync($"get {path}: FAILED, {reason}");
            await HistoryCommandSupport.RunHooksAsync(ctx, hooks, ct);
            return missing.Count == 0 ? ExitCodes.Success : ExitCodes.SyncFailed;
        });
        return command;
    }
}
