using System.CommandLine;
using Tether.Kernel.Configuration;
using Tether.Kernel.Content;
using Tether.Kernel.History;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether drop [--auto] PATH...`: free local space, only when numcopies other copies are verified (with --auto, only content
/// this repository does not want). `tether drop --unused [--older-than 30d]`: the content of replaced and deleted versions,
/// under history.keep (see History/UnusedDropper).
/// </summary>
public static class DropCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Annexed files or folders (all annexed files under a folder); none with --unused", Arity = ArgumentArity.ZeroOrMore };
        var auto = new Option<bool>("--auto") { Description = "Only the files this repository does not want (the config's wants)" };
        var unused = new Option<bool>("--unused") { Description = "The content of old and deleted versions (no file uses it), as history.keep and numcopies allow" };
        var olderThan = new Option<string?>("--older-than") { Description = "With --unused: only versions replaced or deleted at least this long ago (30d)" };
        var command = new Command("drop", "Remove local content of annexed files that enough remotes verifiably hold") { paths, auto, unused, olderThan };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            if (parsed.GetValue(unused))
            {
                if (parsed.GetValue(paths) is { Length: > 0 }) throw new ArgumentException("--unused takes no PATH: it looks at every version no file uses");
                return await DropUnusedAsync(ctx, parsed.GetValue(olderThan), ct);
            }
            if (parsed.GetValue(olderThan) is not null) throw new ArgumentException("--older-than goes with --unused");
            if (parsed.GetValue(paths) is not { Length: > 0 }) throw new ArgumentException("name the files to drop, or --unused");
            await using var support = await ContentCommandSupport.OpenAsync(ctx, ct);
            var hooks = HistoryCommandSupport.Hooks(ctx, support.Repo, support.Config);
            var dropper = new ContentDropper(support.Repo, ctx.Clock) { Events = hooks.Events };
            var refused = 0;
            foreach (var file in new AnnexedPathResolver(support.Repo).Resolve(parsed.GetValue(paths)!, ctx.CurrentDirectory))
            {
                if (parsed.GetValue(auto) && support.Config.Wants.Wants(file.Path)) continue;
                var result = await dropper.DropAsync(file.Key, support.Remotes, support.Config.Annex.NumCopies, ct, file.Path, file.Path);
                if (!result.Dropped) refused++;
                await ctx.Out.WriteLineAsync($"drop {file.Path}: {(result.Dropped ? "" : "REFUSED, ")}{result.Message}");
            }
            await HistoryCommandSupport.RunHooksAsync(ctx, hooks, ct);
            return refused == 0 ? ExitCodes.Success : ExitCodes.SyncFailed;
        });
        return command;
    }

    private static async Task<int> DropUnusedAsync(CliContext ctx, string? olderThan, CancellationToken ct)
    {
        var minimumAge = olderThan is null ? TimeSpan.Zero
            : DurationText.TryParse(olderThan, out var age) && !DurationText.IsBareNumber(olderThan) ? age
            : throw new ArgumentException($"--older-than '{olderThan}': {DurationText.ExpectedForm}");
        await using var support = await ContentCommandSupport.OpenAsync(ctx, ct);
        var unused = await new UnusedContent(support.Repo).FindAsync(ct);
        if (unused.Count == 0)
        {
            await ctx.Out.WriteLineAsync("no unused content here");
            return ExitCodes.Success;
        }
        var hooks = HistoryCommandSupport.Hooks(ctx, support.Repo, support.Config);
        var decisions = await new UnusedDropper(support.Repo, ctx.Clock) { Events = hooks.Events }
            .DropAsync(unused, support.Config.History.Keep, minimumAge, support.Remotes, support.Config.Annex.NumCopies, ct);
        foreach (var d in decisions)
            await ctx.Out.WriteLineAsync($"drop {d.Unused.LastPath ?? "(no path)"} [{d.Unused.Key}]: {d.Message}");
        var freed = decisions.Where(d => d.Dropped).Sum(d => d.Unused.Size);
        await ctx.Out.WriteLineAsync($"freed {HistoryCommandSupport.Size(freed)} ({decisions.Count(d => d.Dropped)} of {unused.Count} unused version(s))");
        await HistoryCommandSupport.RunHooksAsync(ctx, hooks, ct);
        return ExitCodes.Success;
    }
}
