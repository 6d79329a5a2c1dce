using Spectre.Console;
using Tether.Kernel.Transfers;

namespace Tether.Cli.Commands;

/// <summary>Each transfer of a one-shot command as a live Spectre.Console progress bar (in a terminal).</summary>
public sealed class ProgressBarObserver(ProgressContext context) : ITransferObserver
{
    public ITransferProgress Begin(TransferRequest request, string remote)
    {
        var arrow = request.Direction == TransferDirection.Upload ? "→" : "←";
        var task = context.AddTask(Markup.Escape($"{request.File} {arrow} {remote}"), autoStart: true, maxValue: Math.Max(1, request.Key.Size ?? 1));
        return new Bar(task);
    }

    private sealed class Bar(ProgressTask task) : ITransferProgress
    {
        public void Report(long value) => task.Value = Math.Min(value, task.MaxValue);

        public void Finish(bool moved)
        {
            if (moved) task.Value = task.MaxValue;
            else task.Description += " (nothing to move)";
        }

        public void Dispose() => task.StopTask();
    }
}
