using System.CommandLine;
using Tether.Kernel.History;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether restore PATH [--at TIME | --version N]`: an old version back as a new change; `tether restore --deleted PATH...`:
/// deleted files or folders back at their old paths; `tether restore --deleted --list [FOLDER] [--since 7d]`: what was deleted.
/// </summary>
public static class RestoreCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "The file (or, with --deleted, files and folders) to bring back", Arity = ArgumentArity.ZeroOrMore };
        var at = new Option<string?>("--at") { Description = "The version at that time: 2026-12-01T09:30:00Z, \"2 days ago\", yesterday" };
        var version = new Option<int?>("--version") { Description = "The version with this number in tether log (1 is the newest)" };
        var deleted = new Option<bool>("--deleted") { Description = "Bring back deleted files or folders at their old paths" };
        var list = new Option<bool>("--list") { Description = "With --deleted: list what was deleted (in FOLDER, default everywhere)" };
        var since = new Option<string?>("--since") { Description = "With --deleted --list: only deletions since then (7d, \"2 days ago\", a date)" };
        var command = new Command("restore", "Bring back an old version of a file, or deleted files and folders") { paths, at, version, deleted, list, since };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var userPaths = parsed.GetValue(paths) ?? [];
            if (parsed.GetValue(list))
            {
                if (!parsed.GetValue(deleted)) throw new ArgumentException("--list goes with --deleted: tether restore --deleted --list [FOLDER]");
                return await ListDeletedAsync(ctx, userPaths, parsed.GetValue(since), ct);
            }
            if (userPaths.Length == 0) throw new ArgumentException("name the file to restore (tether log PATH shows its versions), or --deleted --list");
            if (parsed.GetValue(since) is not null) throw new ArgumentException("--since goes with --deleted --list");
            return parsed.GetValue(deleted)
                ? await RestoreDeletedAsync(ctx, userPaths, ct)
                : await RestoreVersionAsync(ctx, userPaths, parsed.GetValue(version), parsed.GetValue(at), ct);
        });
        return command;
    }

    private static async Task<int> ListDeletedAsync(CliContext ctx, string[] folders, string? since, CancellationToken ct)
    {
        var repo = ctx.OpenRepository();
        var from = since is null ? (DateTimeOffset?)null : TimeText.Parse(since, ctx.Clock.GetUtcNow());
        var history = new DeletedFiles(repo, ctx.Clock);
        var any = false;
        foreach (var folder in folders.DefaultIfEmpty("."))
            foreach (var d in await history.ListAsync(HistoryCommandSupport.RelativePath(ctx, repo, folder), from, ct))
            {
                any = true;
                await ctx.Out.WriteLineAsync($"{d.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {d.Node}  {d.Path}  {HistoryCommandSupport.Size(d.Size)}  content {d.Content}");
            }
        if (!any) await ctx.Out.WriteLineAsync(since is null ? "nothing deleted" : $"nothing deleted since {from:u}");
        return ExitCodes.Success;
    }

    private static async Task<int> RestoreDeletedAsync(CliContext ctx, string[] userPaths, CancellationToken ct)
    {
        await using var support = await ContentCommandSupport.OpenAsync(ctx, ct);
        var hooks = HistoryCommandSupport.Hooks(ctx, support.Repo, support.Config);
        var restorer = new VersionRestorer(support.Repo, ctx.Clock, ctx.Logger("restore"));
        var history = new DeletedFiles(support.Repo, ctx.Clock);
        var touched = new List<string>();
        var failed = 0;
        foreach (var userPath in userPaths)
        {
            var relative = HistoryCommandSupport.RelativePath(ctx, support.Repo, userPath);
            var files = await history.FindAsync(relative, ct);
            if (files.Count == 0)
            {
                failed++;
                await ctx.Out.WriteLineAsync($"restore {relative}: FAILED, nothing deleted there is missing now (tether restore --deleted --list shows what was deleted)");
                continue;
            }
            foreach (var file in files)
            {
                try
                {
                    var outcome = await restorer.RestoreAsync(file.Path, file.BlobId, file.Mode, support.Remotes, ct);
                    touched.Add(outcome.Path);
                    if (outcome.SavedAs is { } saved) touched.Add(saved);
                    await ctx.Out.WriteLineAsync($"restore {file.Path}: {outcome.Message} (deleted {file.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z by {file.Node})");
                }
                catch (IOException e)
                {
                    failed++;
                    await ctx.Out.WriteLineAsync($"restore {file.Path}: FAILED, {e.Message}");
                }
            }
        }
        await CommitAsync(ctx, support, hooks, touched, ct);
        return failed == 0 ? ExitCodes.Success : ExitCodes.SyncFailed;
    }

    private static async Task<int> RestoreVersionAsync(CliContext ctx, string[] userPaths, int? number, string? at, CancellationToken ct)
    {
        if (userPaths.Length != 1) throw new ArgumentException("restore one file at a time (or --deleted for several)");
        if (number is not null && at is not null) throw new ArgumentException("give --at or --version, not both");
        await using var support = await ContentCommandSupport.OpenAsync(ctx, ct);
        var hooks = HistoryCommandSupport.Hooks(ctx, support.Repo, support.Config);
        var relative = HistoryCommandSupport.RelativePath(ctx, support.Repo, userPaths[0]);
        var versions = await new FileHistory(support.Repo, ctx.Clock).VersionsAsync(relative, ct);
        var time = at is null ? (DateTimeOffset?)null : TimeText.Parse(at, ctx.Clock.GetUtcNow());
        var chosen = FileHistory.Pick(versions, number, time, relative);
        var outcome = await new VersionRestorer(support.Repo, ctx.Clock, ctx.Logger("restore")).RestoreAsync(relative, chosen.BlobId, chosen.Mode, support.Remotes, ct);
        await ctx.Out.WriteLineAsync($"restore {relative}: version {chosen.Number} ({chosen.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z by {chosen.Node}) {outcome.Message}");
        var touched = new List<string>();
        if (outcome.Changed) touched.Add(outcome.Path);
        if (outcome.SavedAs is { } saved) touched.Add(saved);
        await CommitAsync(ctx, support, hooks, touched, ct);
        return ExitCodes.Success;
    }

    private static async Task CommitAsync(CliContext ctx, ContentCommandSupport support, Kernel.Hooks.OneShotHooks hooks, List<string> touched, CancellationToken ct)
    {
        if (touched.Count == 0) return;
        var commit = new HistoryCommit(support.Repo, support.Config, SyncCommand.DescriptionOf(support.Repo, support.Config.Description, ctx.Clock), hooks.Events, ctx.Clock, ctx.Logger("committer"));
        if (commit.DaemonCommits) await ctx.Out.WriteLineAsync("the running daemon commits and syncs it");
        else if (await commit.CommitAsync(touched, ct) is { } result) await ctx.Out.WriteLineAsync($"committed {result.CommitId[..10]} ({result.Summary()}); tether sync (or the daemon) sends it on");
        await HistoryCommandSupport.RunHooksAsync(ctx, hooks, ct);
    }
}
