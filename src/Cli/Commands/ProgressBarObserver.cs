using Spectre.Console;
using Tether.Kernel.Status;
using Tether.Kernel.Transfers;

namespace Tether.Cli.Commands;

/// <summary>Each transfer of a one-shot command as a live Spectre.Console progress bar (in a terminal), with a moving-window rate.</summary>
public sealed class ProgressBarObserver(ProgressContext context, TransferColumns columns, TimeProvider clock) : ITransferObserver
{
    public ITransferProgress Begin(TransferRequest request, string remote)
    {
        var arrow = request.Direction == TransferDirection.Upload ? "→" : "←";
        var task = context.AddTask(Markup.Escape($"{request.File} {arrow} {remote}"), autoStart: true, maxValue: Math.Max(1, request.Key.Size ?? 1));
        return new Bar(task, columns, new TransferRate(clock), request, remote);
    }

    private sealed class Bar(ProgressTask task, TransferColumns columns, TransferRate rate, TransferRequest request, string remote) : ITransferProgress
    {
        public void Report(long value)
        {
            rate.Observe(value);
            var perSecond = rate.BytesPerSecond();
            columns.Show(task, new TransferStatus(request.Id, request.Direction.ToString().ToLowerInvariant(), request.Key.ToString(), request.File, remote, true,
                value, request.Key.Size, perSecond, State: TransferStatus.RunningState, EtaSeconds: TransferRate.EtaSeconds(value, request.Key.Size, perSecond)));
        }

        public void Finish(bool moved)
        {
            if (moved) task.Value = task.MaxValue;
            else task.Description += " (nothing to move)";
        }

        public void Dispose() => task.StopTask();
    }
}
