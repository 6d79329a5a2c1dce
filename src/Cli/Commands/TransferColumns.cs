using System.Collections.Concurrent;
using Spectre.Console;
using Spectre.Console.Rendering;
using Tether.Kernel.Status;

namespace Tether.Cli.Commands;

/// <summary>
/// Progress-bar columns that show the daemon's own figures (<see cref="TransferStatus"/>: bytes done, the moving-window
/// rate, the ETA from it, the state) instead of Spectre's, which divide all bytes since the bar appeared by the time
/// since then (a resumed transfer's old bytes included) and call a paused transfer finished.
/// </summary>
public sealed class TransferColumns
{
    private readonly ConcurrentDictionary<int, TransferStatus> _figures = new();

    public ProgressColumn[] All() =>
        [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new FigureColumn(this, Done), new FigureColumn(this, Speed), new FigureColumn(this, Remaining)];

    /// <summary>Shows <paramref name="status"/> on <paramref name="task"/>'s bar.</summary>
    public void Show(ProgressTask task, TransferStatus status)
    {
        _figures[task.Id] = status;
        task.Value = Math.Min(status.Bytes, task.MaxValue);
    }

    private static string Done(TransferStatus t) => $"{TransferProgressPrinter.Bytes(t.Bytes)}/{TransferProgressPrinter.Bytes(t.Size)}";

    private static string Speed(TransferStatus t) => t.ShownState == TransferStatus.RunningState ? TransferProgressPrinter.Rate(t) : t.ShownState;

    private static string Remaining(TransferStatus t) => t.ShownState == TransferStatus.RunningState ? TransferProgressPrinter.Eta(t) : "";

    private sealed class FigureColumn(TransferColumns owner, Func<TransferStatus, string> text) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(owner._figures.TryGetValue(task.Id, out var t) ? text(t) : "");
    }
}
