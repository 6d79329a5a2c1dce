using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Events;
using Tether.Kernel.History;
using Tether.Kernel.Repositories;
using Tether.Web.Hosting;

namespace Tether.Web.Api;

/// <summary>
/// History and conflicts (`tether log`, `tether restore`, `tether conflicts`, `tether resolve`), through the kernel's own
/// <see cref="FileHistory"/>, <see cref="VersionRestorer"/>, <see cref="DeletedFiles"/> and <see cref="ConflictCentre"/>.
/// The daemon is running, so what a restore or a resolve writes in the work tree is committed and synced by its watcher,
/// as after `tether restore` with a daemon running. One operation at a time: two clicks never write the same file at once.
/// </summary>
public sealed class HistoryEndpoints(DashboardSources sources, TimeProvider clock, ILoggerFactory loggers)
{
    private const int MaxVersions = 2000;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    private AnnexRepository Repo => sources.Repository;

    public static void Map(RouteGroupBuilder api, DashboardSources sources, TimeProvider clock, ILoggerFactory loggers)
    {
        var endpoints = new HistoryEndpoints(sources, clock, loggers);
        api.MapGet("/history", (string? path, int? limit, CancellationToken ct) => endpoints.HistoryAsync(path, Math.Clamp(limit ?? 200, 1, MaxVersions), ct))
            .WithName("GetHistory").WithSummary("Versions, newest first, as `tether log --json` prints them: ?path= a file (renames followed) or folder; without it, the recent changes of the whole folder; ?limit=N, 1 to 2000 (default 200)")
            .Produces<IReadOnlyList<Dictionary<string, object?>>>().Produces<ApiErrorBody>(StatusCodes.Status400BadRequest);
        api.MapPost("/restore", (string? path, int? version, string? at, bool? deleted, CancellationToken ct) => endpoints.RestoreAsync(path, version, at, deleted ?? false, ct))
            .WithName("Restore").WithSummary("Bring back an old version of ?path= (?version=N from GET /api/history, or ?at=TIME; default: the one before the current) as a new change, or with ?deleted=true a deleted file or folder at its old path (`tether restore`)");
        api.MapGet("/conflicts", (CancellationToken ct) => endpoints.ConflictsAsync(ct))
            .WithName("ListConflicts").WithSummary("Every conflict still present: each file's versions, from which node and when (`tether conflicts`)");
        api.MapPost("/resolve", (string? path, string? keep, bool? merge, CancellationToken ct) => endpoints.ResolveAsync(path, keep, merge ?? false, ct))
            .WithName("Resolve").WithSummary("End a conflict: ?path= with ?keep=VARIANT (its file, code or node), ?keep=both, or ?merge=true (two texts, three-way); the versions not kept stay in history (`tether resolve`)");
    }

    private async Task<Results<Ok<List<Dictionary<string, object?>>>, BadRequest<ApiErrorBody>>> HistoryAsync(string? path, int limit, CancellationToken ct)
    {
        if (RelativePath(path ?? "") is not { } relative) return TypedResults.BadRequest(new ApiErrorBody(OutsideMessage(path!)));
        var versions = await new FileHistory(Repo, clock).VersionsAsync(relative, ct);
        return TypedResults.Ok(versions.Take(limit).Select(FileVersionJson.ToJson).ToList());
    }

    private async Task<IReadOnlyList<ConflictView>> ConflictsAsync(CancellationToken ct)
    {
        var conflicts = await new ConflictCentre(Repo, clock, loggers.CreateLogger("conflicts")).ListAsync(ct);
        return conflicts.Select(c => new ConflictView(c.Path, c.Versions.Select(v =>
            new ConflictVersionView(v.Path, v.Code, v.Node, v.At, v.CommitId, v.Size, v.IsAnnexed)).ToList())).ToList();
    }

    private Task<Results<Ok<OperationResult>, Conflict<OperationResult>>> RestoreAsync(string? path, int? number, string? at, bool deleted, CancellationToken ct) =>
        OperateAsync(path, async relative =>
        {
            if (number is not null && at is not null) throw new ArgumentException("give version or at, not both");
            return deleted ? await RestoreDeletedAsync(relative, ct) : await RestoreVersionAsync(relative, number, at, ct);
        }, ct);

    private async Task<string> RestoreVersionAsync(string relative, int? number, string? at, CancellationToken ct)
    {
        var versions = await new FileHistory(Repo, clock).VersionsAsync(relative, ct);
        var time = at is null ? (DateTimeOffset?)null : TimeText.Parse(at, clock.GetUtcNow());
        var chosen = FileHistory.Pick(versions, number, time, relative);
        await using var remotes = await sources.OpenRemotes(ct);
        var outcome = await new VersionRestorer(Repo, clock, loggers.CreateLogger("restore")).RestoreAsync(relative, chosen.BlobId, chosen.Mode, remotes.Remotes, ct);
        return $"restore {relative}: version {chosen.Number} ({chosen.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z by {chosen.Node}) {outcome.Message}";
    }

    private async Task<string> RestoreDeletedAsync(string relative, CancellationToken ct)
    {
        var files = await new DeletedFiles(Repo, clock).FindAsync(relative, ct);
        if (files.Count == 0) throw new ArgumentException($"restore {relative}: nothing deleted there is missing now");
        await using var remotes = await sources.OpenRemotes(ct);
        var restorer = new VersionRestorer(Repo, clock, loggers.CreateLogger("restore"));
        var lines = new List<string>();
        foreach (var file in files)
        {
            var outcome = await restorer.RestoreAsync(file.Path, file.BlobId, file.Mode, remotes.Remotes, ct);
            lines.Add($"restore {file.Path}: {outcome.Message} (deleted {file.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z by {file.Node})");
        }
        return string.Join("; ", lines);
    }

    private Task<Results<Ok<OperationResult>, Conflict<OperationResult>>> ResolveAsync(string? path, string? keep, bool merge, CancellationToken ct) =>
        OperateAsync(path, async relative =>
        {
            if (keep is null == !merge) throw new ArgumentException("say how: keep=VARIANT, keep=both, or merge=true");
            var centre = new ConflictCentre(Repo, clock, loggers.CreateLogger("resolve"));
            var conflict = await centre.FindAsync(relative, ct);
            ResolvedEvent resolved;
            string said;
            if (merge)
            {
                var (merged, conflicts) = await centre.MergeAsync(conflict, ct);
                (resolved, said) = (merged, conflicts == 0 ? "merged cleanly" : $"merged; {conflicts} conflicting part(s) marked with <<<<<<< and >>>>>>> in {conflict.Path}");
            }
            else if (keep == "both")
                (resolved, said) = (centre.KeepBoth(conflict), "kept every version");
            else
            {
                var chosen = ConflictCentre.Select(conflict, keep!);
                (resolved, said) = (centre.Keep(conflict, chosen), $"kept {chosen.Path} (from {chosen.Node})");
            }
            sources.Events.Publish(resolved);
            return $"resolve {conflict.Path}: {said}: {string.Join(", ", resolved.Kept)}";
        }, ct);

    /// <summary>Runs one operation on a repository-relative path; a refusal (bad path, no such version, content unreachable) is a 409 with the reason.</summary>
    private async Task<Results<Ok<OperationResult>, Conflict<OperationResult>>> OperateAsync(string? path, Func<string, Task<string>> operation, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(path)) return TypedResults.Conflict(new OperationResult(false, "name the file: ?path="));
        if (RelativePath(path) is not { } relative || relative.Length == 0) return TypedResults.Conflict(new OperationResult(false, OutsideMessage(path)));
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var message = await operation(relative);
            return TypedResults.Ok(new OperationResult(true, $"{message}; the daemon commits and syncs it"));
        }
        catch (Exception e) when (e is ArgumentException or IOException or FormatException or InvalidOperationException)
        {
            return TypedResults.Conflict(new OperationResult(false, e.Message));
        }
        finally { _oneAtATime.Release(); }
    }

    /// <summary>A path as the page sends it (relative to the synced folder), or null when it leads outside it.</summary>
    private string? RelativePath(string path)
    {
        var root = Repo.WorkTree ?? Repo.GitDir;
        if (path.Length == 0 || path == ".") return "";
        var relative = Path.IsPathRooted(path) ? null : SafePaths.RelativeTo(root, Path.Combine(root, path));
        return relative is ".git" || relative?.StartsWith(".git/", StringComparison.Ordinal) == true ? null : relative;
    }

    private string OutsideMessage(string path) => $"'{path}' is outside the folder synced ({Repo.WorkTree}); give a path relative to it";
}
