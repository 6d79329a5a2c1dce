using Spectre.Console;
using Tether.Kernel.Control;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;

namespace Tether.Cli.Commands;

/// <summary>
/// Live progress bars (Spectre.Console) for the daemon's running transfers, refreshed twice a second from
/// the control socket until none is running (or Ctrl-C). Used by `tether status` in a terminal.
/// </summary>
public static class LiveTransferView
{
    public static bool IsTerminal(CliContext ctx) =>
        ReferenceEquals(ctx.Out, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static async Task FollowAsync(AnnexRepository repo, CancellationToken ct)
    {
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                while (!ct.IsCancellationRequested)
                {
                    var running = (await ControlClient.SendAsync(repo, new ControlRequest(ControlCommand.Status), ct))?.Status?.Transfers.Where(t => t.Running).ToList() ?? [];
                    foreach (var t in running) Update(progress, tasks, t);
                    foreach (var (id, task) in tasks.Where(p => running.All(t => t.Id != p.Key)).ToList())
                    {
                        task.Value = task.MaxValue;
                        task.StopTask();
                        tasks.Remove(id);
                    }
                    if (running.Count == 0) return;
                    await Task.Delay(500, ct);
                }
            });
    }

    private static void Update(ProgressContext progress, Dictionary<string, ProgressTask> tasks, TransferStatus t)
    {
        if (!tasks.TryGetValue(t.Id, out var task))
        {
            var arrow = t.Direction == "upload" ? "→" : "←";
            task = tasks[t.Id] = progress.AddTask(Markup.Escape($"{t.File} {arrow} {t.Remote}"), maxValue: Math.Max(1, t.Size ?? 1));
        }
        task.Value = Math.Min(t.Bytes, task.MaxValue);
    }
}
