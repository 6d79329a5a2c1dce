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
            await output.WriteLineAsync($"  push: {Result(r.LastPushOk, r.LastPushAt, r.LastPushError)}");
            await output.WriteLineAsync($"  pull: {Result(r.LastPullOk, r.LastPullAt, r.LastPullError)}");
            if (r.Live is { } live) await output.WriteLineAsync(live ? "  live: told of its changes as they happen" : "  live: reconnecting the change notification");
            if (r.NextRetryAt is { } retry) await output.WriteLineAsync($"  next retry: {retry:u} (or 'tether poke {r.Name}')");
        }
        foreach (var t in s.Transfers) await output.WriteLineAsync($"transfer {TransferProgressPrinter.Line(t)}");
        foreach (var w in s.Warnings) await output.WriteLineAsync($"warning: {w}");
    }

    private static string Result(bool? ok, DateTimeOffset? at, string? error) => ok switch
    {
        null => "not yet",
        true => $"ok at {at:u}",
        false => $"FAILED at {at:u}: {error}",
    };
}
