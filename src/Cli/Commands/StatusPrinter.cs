using Tether.Kernel.Status;

namespace Tether.Cli.Commands;

/// <summary>`tether status` for people.</summary>
public static class StatusPrinter
{
    public static async Task PrintAsync(StatusSnapshot s, TextWriter output)
    {
        if (!s.Running)
        {
            await output.WriteLineAsync($"not running ({s.Repository}); start with 'tether watch'");
            return;
        }
        await output.WriteLineAsync($"running (pid {s.Pid}) since {s.StartedAt:u} in {s.Repository}");
        await output.WriteLineAsync(s.LastCommit is null ? "last commit: none since start" : $"last commit: {s.LastCommit[..10]} at {s.LastCommitAt:u} ({s.LastCommitSummary})");
        if (s.PendingChanges > 0) await output.WriteLineAsync($"pending changes: {s.PendingChanges}");
        foreach (var r in s.Remotes)
        {
            await output.WriteLineAsync($"remote {r.Name}:");
            if (r.Unavailable is { } why) await output.WriteLineAsync($"  unavailable: {why}");
            if (r.MainLine is { } theirs) await output.WriteLineAsync($"  branch: its {theirs} is synced with our branch");
            if (r.ContentOnly)
                await output.WriteLineAsync($"  content only (no git there: history and small files are not sent; not a full backup on its own): reached {Result(r.LastPushOk, r.LastPushAt, r.LastPushError)}");
            else
            {
                await output.WriteLineAsync($"  push: {Result(r.LastPushOk, r.LastPushAt, r.LastPushError)}");
                await output.WriteLineAsync($"  pull: {Result(r.LastPullOk, r.LastPullAt, r.LastPullError)}");
            }
            if (r.Live is { } live) await output.WriteLineAsync(live ? "  live: told of its changes as they happen" : "  live: reconnecting the change notification");
            if (r.NextRetryAt is { } retry) await output.WriteLineAsync($"  next retry: {retry:u} (or 'tether poke {r.Name}')");
            else if (r.NextPullAt is { } pull) await output.WriteLineAsync($"  next pull: {pull:u} (pull_interval)");
            foreach (var p in s.FailedTransfers.Where(p => p.Remote == r.Name)) await output.WriteLineAsync($"  {Problem(p)}");
        }
        foreach (var p in s.FailedTransfers.Where(p => s.Remotes.All(r => r.Name != p.Remote))) await output.WriteLineAsync(Problem(p));
        if (s.BelowNumcopiesCount > 0)
        {
            var wanted = s.BelowNumcopies.FirstOrDefault()?.Wanted;
            await output.WriteLineAsync($"below numcopies ({wanted}): {s.BelowNumcopiesCount} file(s) have fewer copies than wanted" +
                                        " ('tether whereis FILE' says where each is; a remote that gets it raises the count)");
            foreach (var f in s.BelowNumcopies) await output.WriteLineAsync($"  {f.File}: {f.Copies} cop{(f.Copies == 1 ? "y" : "ies")}");
            if (s.BelowNumcopiesCount > s.BelowNumcopies.Count) await output.WriteLineAsync($"  ... and {s.BelowNumcopiesCount - s.BelowNumcopies.Count} more");
        }
        if (s.TransfersPaused) await output.WriteLineAsync("transfers paused ('tether transfers resume' starts them again)");
        foreach (var t in s.Transfers) await output.WriteLineAsync($"transfer {TransferProgressPrinter.Line(t)}");
        foreach (var w in s.Warnings) await output.WriteLineAsync($"warning: {w}");
    }

    private static string Problem(Kernel.Status.TransferProblem p) =>
        $"{p.Outcome} {p.Direction} {p.File} ({p.Remote}) at {p.At:u}: {p.Reason}; next: {p.Next}";

    private static string Result(bool? ok, DateTimeOffset? at, string? error) => ok switch
    {
        null => "not yet",
        true => $"ok at {at:u}",
        false => $"FAILED at {at:u}: {error}",
    };
}
