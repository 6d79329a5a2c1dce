using System.CommandLine;
using System.Text.Json;
using Tether.Kernel.Control;
using Tether.Kernel.Daemon;
using Tether.Kernel.Status;

namespace Tether.Cli.Commands;

/// <summary>`tether status [--json]`, `tether poke [REMOTE]`, `tether stop`: talk to the running daemon over its control socket.</summary>
public static class DaemonControlCommands
{
    public static Command Status(Func<ParseResult, CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var once = new Option<bool>("--once") { Description = "Do not follow running transfers with live progress bars" };
        var command = new Command("status", "Show the daemon's state: last commit, each remote's last push and pull, transfers") { json, once };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var response = await ControlClient.SendAsync(repo, new ControlRequest(ControlCommand.Status), ct);
            var snapshot = response?.Status ?? new StatusSnapshot { Running = false, Repository = repo.DisplayPath };
            if (parsed.GetValue(json)) await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(snapshot, ControlJson.Options));
            else
            {
                var live = !parsed.GetValue(once) && LiveTransferView.IsTerminal(ctx) && snapshot.Transfers.Any(t => t.Running);
                await StatusPrinter.PrintAsync(snapshot with { Transfers = live ? snapshot.Transfers.Where(t => !t.Running).ToList() : snapshot.Transfers }, ctx.Out);
                if (repo.WorkTree is not null) await ctx.Out.WriteLineAsync(HistorySpaceLine.For(repo, ctx.LoadConfig(repo)));
                if (live) await LiveTransferView.FollowAsync(repo, ct);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Poke(Func<ParseResult, CliContext> context)
    {
        var remote = new Argument<string?>("REMOTE") { Description = "The remote that has changes (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("poke", "Tell the daemon a remote has changes or is back: pull and push it now") { remote };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            return await SendAsync(ctx, new ControlRequest(ControlCommand.Poke, parsed.GetValue(remote)), ct);
        });
        return command;
    }

    public static Command Resume(Func<ParseResult, CliContext> context)
    {
        var accept = new Option<bool>("--accept-deletions") { Description = "Commit and sync the mass deletion the guard held back" };
        var command = new Command("resume", "Resume syncing after the deletion guard paused it") { accept };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            return await SendAsync(ctx, new ControlRequest(parsed.GetValue(accept) ? ControlCommand.ResumeAcceptDeletions : ControlCommand.Resume), ct);
        });
        return command;
    }

    public static Command Reload(Func<ParseResult, CliContext> context)
    {
        var command = new Command("reload", "Make the daemon re-read its config now (it also does on every saved edit); a bad config is reported and the last good one kept");
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var response = await ControlClient.SendAsync(repo, new ControlRequest(ControlCommand.Reload), ct);
            if (response is null)
            {
                ctx.LoadConfig(repo); // no daemon: still say whether the config is good
                await ctx.Error.WriteLineAsync($"tether: no daemon is running for {repo.DisplayPath}; the config is valid and is read when one starts ('tether watch')");
                return ExitCodes.SyncFailed;
            }
            await (response.Ok ? ctx.Out : ctx.Error).WriteLineAsync(response.Ok ? response.Message : $"tether: {response.Message}; the daemon keeps its last good config");
            return response.Ok ? ExitCodes.Success : ExitCodes.UsageOrConfig;
        });
        return command;
    }

    public static Command Stop(Func<ParseResult, CliContext> context)
    {
        var command = new Command("stop", "Stop the daemon cleanly");
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var code = await SendAsync(ctx, new ControlRequest(ControlCommand.Stop), ct);
            if (code != ExitCodes.Success) return code;
            for (var i = 0; i < 600 && DaemonLock.RunningPid(repo) is not null; i++) await Task.Delay(100, ct); // bounded: 60 s
            return ExitCodes.Success;
        });
        return command;
    }

    internal static async Task<int> SendAsync(CliContext ctx, ControlRequest request, CancellationToken ct)
    {
        var repo = ctx.OpenRepository();
        var response = await ControlClient.SendAsync(repo, request, ct);
        if (response is null)
        {
            await ctx.Error.WriteLineAsync($"tether: no daemon is running for {repo.DisplayPath} (start one with 'tether watch')");
            return ExitCodes.SyncFailed;
        }
        await (response.Ok ? ctx.Out : ctx.Error).WriteLineAsync(response.Ok ? response.Message : $"tether: {response.Message}");
        return response.Ok ? ExitCodes.Success : ExitCodes.UsageOrConfig;
    }
}
