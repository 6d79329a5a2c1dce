using System.CommandLine;
using System.Text.Json;
using Tether.Kernel.Control;
using Tether.Kernel.Status;

namespace Tether.Cli.Commands;

/// <summary>`tether transfers [--json]` and `tether transfers pause|resume|cancel|first [ID] [--remote R]`: the running daemon's transfers.</summary>
public static class TransfersCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print the transfers as JSON" };
        var command = new Command("transfers", "List the daemon's queued and running transfers") { json };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var response = await ControlClient.SendAsync(ctx.OpenRepository(), new ControlRequest(ControlCommand.Status), ct);
            var transfers = response?.Status?.Transfers ?? [];
            if (parsed.GetValue(json)) await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(transfers, ControlJson.Options));
            else if (response is null) await ctx.Out.WriteLineAsync("no daemon is running; start one with 'tether watch'");
            else await TransferProgressPrinter.PrintAsync(transfers, ctx.Out, ctx.Error);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(Selecting(context, "pause", ControlCommand.TransfersPause, "Stop starting transfers (all, or one by ID, or a remote's); running ones go back in the queue, partial data kept", "Pause every transfer with this remote"));
        command.Subcommands.Add(Selecting(context, "resume", ControlCommand.TransfersResume, "Start transfers again (all, or the ID or remote paused on its own)", "Resume the transfers with this remote"));
        command.Subcommands.Add(Selecting(context, "cancel", ControlCommand.TransfersCancel, "Cancel transfers; a cancelled download leaves no partial data", "Cancel every transfer with this remote"));
        command.Subcommands.Add(Selecting(context, "first", ControlCommand.TransfersFirst, "Do these first: move queued transfers ahead of all others", "Move every queued transfer with this remote"));
        return command;
    }

    private static Command Selecting(Func<ParseResult, CliContext> context, string verb, ControlCommand sent, string description, string remoteDescription)
    {
        var id = new Argument<string?>("ID") { Description = "The transfer's id (see 'tether transfers')", Arity = ArgumentArity.ZeroOrOne };
        var remote = new Option<string?>("--remote") { Description = remoteDescription };
        var command = new Command(verb, description) { id, remote };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            return await DaemonControlCommands.SendAsync(ctx, new ControlRequest(sent, parsed.GetValue(remote), parsed.GetValue(id)), ct);
        });
        return command;
    }
}
