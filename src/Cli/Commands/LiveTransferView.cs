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
        var columns = new TransferColumns();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(columns.All())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                while (!ct.IsCancellationRequested)
                {
                    var all = (await ControlClient.SendAsync(repo, new ControlRequest(ControlCommand.Status), ct))?.Status?.Transfers ?? [];
                    var running = all.Where(t => t.Running).ToList();
                    foreach (var t in running) Update(progress, tasks, columns, t);
                    foreach (var (id, task) in tasks.Where(p => running.All(t => t.Id != p.Key)).ToList())
                    {
                        // Paused or interrupted: it stays in the list with its bytes done; only one that left the list finished.
                        if (all.FirstOrDefault(t => t.Id == id) is { } waiting) columns.Show(task, waiting);
                        else task.Value = task.MaxValue;
                        task.StopTask();
                        tasks.Remove(id);
                    }
                    if (running.Count == 0) return;
                    await Task.Delay(500, ct);
                }
            });
    }

    private static void Update(ProgressContext progress, Dictionary<string, ProgressTask> tasks, TransferColumns columns, TransferStatus t)
    {
        if (!tasks.TryGetValue(t.Id, out var task))
        {
            var arrow = t.Direction == "upload" ? "→" : "←";
            task = tasks[t.Id] = progress.AddTask(Markup.Escape($"{t.File} {arrow} {t.Remote}"), maxValue: Math.Max(1, t.Size ?? 1));
        }
        columns.Show(task, t);
    }
}
