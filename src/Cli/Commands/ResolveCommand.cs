using System.CommandLine;
using Tether.Kernel.History;

namespace Tether.Cli.Commands;

/// <summary>`tether resolve PATH --keep VARIANT|both` or `--merge`: ends a conflict; the versions not kept stay in history, and it syncs.</summary>
public static class ResolveCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var path = new Argument<string>("PATH") { Description = "The conflicted file (its name, or one of its variants)" };
        var keep = new Option<string?>("--keep") { Description = "The version that takes the name (its variant file, code or node), or 'both' to keep every version under a name of its own" };
        var merge = new Option<bool>("--merge") { Description = "Two text versions: a three-way merge (git merge-file), conflict markers only where both changed the same lines" };
        var command = new Command("resolve", "End a conflict: keep one version, keep both, or merge two texts") { path, keep, merge };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var selector = parsed.GetValue(keep);
            if (selector is null == !parsed.GetValue(merge)) throw new ArgumentException("say how: --keep VARIANT, --keep both, or --merge");
            var repo = ctx.OpenRepository();
            var config = ctx.LoadConfig(repo);
            var hooks = HistoryCommandSupport.Hooks(ctx, repo, config);
            var centre = new ConflictCentre(repo, ctx.Clock, ctx.Logger("resolve"));
            var conflict = await centre.FindAsync(HistoryCommandSupport.RelativePath(ctx, repo, parsed.GetValue(path)!), ct);
            Kernel.Events.ResolvedEvent resolved;
            string said;
            if (parsed.GetValue(merge))
            {
                var (merged, conflicts) = await centre.MergeAsync(conflict, ct);
                (resolved, said) = (merged, conflicts == 0 ? "merged cleanly" : $"merged; {conflicts} conflicting part(s) marked with <<<<<<< and >>>>>>> in {conflict.Path}");
            }
            else if (selector == "both")
                (resolved, said) = (centre.KeepBoth(conflict), "kept every version");
            else
            {
                var chosen = ConflictCentre.Select(conflict, NameFor(ctx, repo, selector!));
                (resolved, said) = (centre.Keep(conflict, chosen), $"kept {chosen.Path} (from {chosen.Node})");
            }
            await ctx.Out.WriteLineAsync($"resolve {conflict.Path}: {said}: {string.Join(", ", resolved.Kept)}");
            var commit = new HistoryCommit(repo, config, SyncCommand.DescriptionOf(repo, config.Description, ctx.Clock), hooks.Events, ctx.Clock, ctx.Logger("committer"));
            if (commit.DaemonCommits) await ctx.Out.WriteLineAsync("the running daemon commits and syncs it");
            else if (await commit.CommitAsync([.. resolved.Kept, .. resolved.Removed], ct) is { } result)
                await ctx.Out.WriteLineAsync($"committed {result.CommitId[..10]}; tether sync (or the daemon) sends it on, and the other nodes' variants go");
            hooks.Events.Publish(resolved);
            await HistoryCommandSupport.RunHooksAsync(ctx, hooks, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A variant named by a path the user typed is made repository-relative; a code or node name is passed as is.</summary>
    private static string NameFor(CliContext ctx, Kernel.Repositories.AnnexRepository repo, string selector) =>
        selector.Contains('/') || File.Exists(Path.Combine(ctx.CurrentDirectory, selector)) || new FileInfo(Path.Combine(ctx.CurrentDirectory, selector)).LinkTarget is not null
            ? HistoryCommandSupport.RelativePath(ctx, repo, selector)
            : selector;
}
