using Spectre.Console;
using Tether.Kernel.Transfers;

namespace Tether.Cli.Commands;

/// <summary>Runs a one-shot command's work with its transfers shown: live progress bars in a terminal, plain lines otherwise.</summary>
public static class TransferDisplay
{
    public static async Task<T> RunAsync<T>(CliContext ctx, Func<ITransferObserver, Task<T>> work)
    {
        if (!LiveTransferView.IsTerminal(ctx)) return await work(new PlainLineObserver(ctx.Out));
        T result = default!;
        var columns = new TransferColumns();
        await AnsiConsole.Progress().AutoClear(false).HideCompleted(false).Columns(columns.All())
            .StartAsync(async progress => result = await work(new ProgressBarObserver(progress, columns, ctx.Clock)));
        return result;
    }
}
