using Tether.Kernel.OneShot;

namespace Tether.Cli.Commands;

/// <summary>Prints a sync report as plain lines, one per fact, for people and scripts alike.</summary>
public static class SyncReportPrinter
{
    public static async Task PrintAsync(SyncReport report, TextWriter output)
    {
        if (report.LocalCommit is { } commit) await output.WriteLineAsync($"commit {commit.CommitId[..10]}: {commit.Summary()}");
        foreach (var path in report.Deferred) await output.WriteLineAsync($"deferred {path}: still being written, next sync takes it");
        foreach (var merge in report.Merges) await output.WriteLineAsync($"merged {merge.RefName} ({merge.Kind})");
        foreach (var conflict in report.Conflicts)
            await output.WriteLineAsync($"conflict {conflict.Path}: both versions kept as {string.Join(" and ", conflict.KeptAs)}");
        if (report.Remotes.Count == 0) await output.WriteLineAsync("no remotes to sync with (add one with 'tether remote add NAME PATH')");
        foreach (var (name, remote) in report.Remotes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var state = remote.Errors.Count == 0 ? "ok" : "FAILED";
            var git = remote.ContentOnly ? "content only, no git" : $"pull {(remote.Pulled ? "ok" : "no")}, push {(remote.Pushed ? "ok" : "no")}";
            await output.WriteLineAsync($"remote {name}: {state} ({git})");
            foreach (var error in remote.Errors) await output.WriteLineAsync($"  {error}");
        }
        if (report.Uploaded + report.Downloaded > 0) await output.WriteLineAsync($"content: {report.Uploaded} sent, {report.Downloaded} received");
        if (report.Busy > 0) await output.WriteLineAsync($"content: {report.Busy} left to another process moving it right now (the next sync takes them)");
        foreach (var path in report.MissingContent) await output.WriteLineAsync($"missing content {path}: no reachable remote has it");
    }
}
