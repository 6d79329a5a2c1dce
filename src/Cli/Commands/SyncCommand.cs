using System.CommandLine;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.OneShot;

namespace Tether.Cli.Commands;

/// <summary>`tether sync [REMOTE...]`: commit, pull, merge, push, then move content — once.</summary>
public static class SyncCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var remotes = new Argument<string[]>("REMOTE") { Description = "Only these remotes (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var noContent = new Option<bool>("--no-content") { Description = "Sync git only; move no file content" };
        var content = new Option<bool>("--content") { Description = "Move file content too (the default; as 'git annex sync --content')" };
        var command = new Command("sync", "Sync once with the remotes: git both ways, then content") { remotes, content, noContent };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            if (parsed.GetValue(content) && parsed.GetValue(noContent)) throw new ArgumentException("--content and --no-content contradict each other: give one");
            var repo = ctx.OpenRepository();
            var config = ctx.LoadConfig(repo);
            Kernel.Git.GitAnnexFilterConfig.Apply(repo, config);
            var (selected, notMounted) = await MountedDrives.LocateAsync(RemoteConfigMapping.RemotesFrom(config, parsed.GetValue(remotes)), ct);
            foreach (var drive in notMounted) await ctx.Error.WriteLineAsync($"tether: drive {drive} is not mounted; skipped");
            var settings = new SyncSettings(DescriptionOf(repo, config.Description, ctx.Clock), config.Annex.LargeFiles.IsLarge, !parsed.GetValue(noContent)) { Strategy = config.Transfers.Strategy, Wants = config.Wants, Unlocked = config.Annex.Unlocked, Ignore = config.Ignore };
            var hooks = HistoryCommandSupport.Hooks(ctx, repo, config);
            var report = await TransferDisplay.RunAsync(ctx, observer =>
                new OneShotSync(repo, settings, selected, ctx.Backends(repo, config), ctx.Clock, ctx.Logger("sync")) { Observer = observer, Events = hooks.Events }.RunAsync(ct));
            await SyncReportPrinter.PrintAsync(report, ctx.Out);
            await HistoryCommandSupport.RunHooksAsync(ctx, hooks, ct);
            return report.Failed ? ExitCodes.SyncFailed : ExitCodes.Success;
        });
        return command;
    }

    internal static string DescriptionOf(AnnexRepository repo, string? configured, TimeProvider clock)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        using var branch = new GitAnnexBranch(repo, clock);
        return branch.Descriptions().GetValueOrDefault(repo.RequireUuid()) ?? RepositoryInitializer.DefaultDescription(repo);
    }
}
