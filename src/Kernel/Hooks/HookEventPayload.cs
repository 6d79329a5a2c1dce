using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tether.Kernel.Events;
using Tether.Kernel.Merging;

namespace Tether.Kernel.Hooks;

/// <summary>
/// The documented form of an event as hooks see it (docs/HOOKS.md): the JSON on a hook's stdin and, the same
/// tree, the model of its command templates. Keys are snake_case; every payload has every top-level key, and
/// the sections that do not apply to the event are null, so a template such as <c>{{ remote.name }}</c> renders
/// empty instead of failing on an event without a remote.
/// </summary>
public sealed class HookEventPayload
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private HookEventPayload(SyncEvent source, IReadOnlyDictionary<string, object?> model)
    {
        Source = source;
        Model = model;
    }

    /// <summary>The members of each section, for the template model of events the section does not apply to.</summary>
    public static IReadOnlyDictionary<string, string[]> SectionMembers { get; } = new Dictionary<string, string[]>
    {
        ["remote"] = ["name"],
        ["commit"] = ["id", "summary"],
        ["change"] = ["added", "modified", "deleted", "renamed", "annexed", "paths", "count"],
        ["push"] = ["ok", "error"],
        ["receive"] = ["merges"],
        ["conflict"] = ["conflicts", "paths"],
        ["resolved"] = ["path", "how", "kept", "removed"],
        ["transfer"] = ["direction", "phase", "key", "file", "remote", "bytes", "error"],
        ["connection"] = ["connected", "reason"],
        ["error"] = ["component", "message"],
    };

    public SyncEvent Source { get; }

    /// <summary>The tree: dictionaries with string keys, lists, strings, numbers, booleans and nulls.</summary>
    public IReadOnlyDictionary<string, object?> Model { get; }

    public string EventName => Source.Name;

    /// <summary>The remote the event is about, if any (push, receive from a remote, transfer, remote-connected/-disconnected).</summary>
    public string? Remote => RemoteOf(Source);

    /// <summary>The repository-relative paths the event is about (change, conflict, transfer); empty for the others.</summary>
    public IReadOnlyList<string> Paths => PathsOf(Source);

    public string ToJson() => JsonSerializer.Serialize(Model, JsonOptions);

    /// <param name="repo">The work tree the daemon syncs (the payload's <c>repo</c>).</param>
    /// <param name="coalesced">How many earlier events of the same kind this one stands for (see HookEventCoalescer).</param>
    public static HookEventPayload From(SyncEvent e, string repo, int coalesced = 0)
    {
        var model = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["event"] = e.Name,
            ["at"] = e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["repo"] = repo,
            ["coalesced"] = coalesced,
            ["remote"] = RemoteOf(e) is { } remote ? new Dictionary<string, object?> { ["name"] = remote } : null,
            ["commit"] = null,
            ["change"] = null,
            ["push"] = null,
            ["receive"] = null,
            ["conflict"] = null,
            ["resolved"] = null,
            ["transfer"] = null,
            ["connection"] = null,
            ["error"] = null,
        };
        switch (e)
        {
            case ChangeEvent change:
                model["commit"] = Commit(change.Commit.CommitId, change.Commit.Summary());
                model["change"] = new Dictionary<string, object?>
                {
                    ["added"] = change.Commit.Added.ToList(),
                    ["modified"] = change.Commit.Modified.ToList(),
                    ["deleted"] = change.Commit.Deleted.ToList(),
                    ["renamed"] = change.Commit.Renamed.Select(r => new Dictionary<string, object?> { ["from"] = r.From, ["to"] = r.To }).ToList(),
                    ["annexed"] = change.Commit.Annexed.ToList(),
                    ["paths"] = PathsOf(e).ToList(),
                    ["count"] = change.Commit.ChangeCount,
                };
                break;
            case CommitEvent commit:
                model["commit"] = Commit(commit.CommitId, commit.Summary);
                break;
            case PushEvent push:
                model["push"] = new Dictionary<string, object?> { ["ok"] = push.Ok, ["error"] = push.Error };
                break;
            case ReceiveEvent receive:
                model["receive"] = new Dictionary<string, object?>
                {
                    ["merges"] = receive.Merges.Select(m => new Dictionary<string, object?>
                    {
                        ["kind"] = KindName(m.Kind),
                        ["ref"] = m.RefName,
                        ["conflicts"] = Conflicts(m.Conflicts),
                    }).ToList(),
                };
                break;
            case ConflictEvent conflict:
                model["conflict"] = new Dictionary<string, object?>
                {
                    ["conflicts"] = Conflicts(conflict.Conflicts),
                    ["paths"] = PathsOf(e).ToList(),
                };
                break;
            case ResolvedEvent resolved:
                model["resolved"] = new Dictionary<string, object?>
                {
                    ["path"] = resolved.Path,
                    ["how"] = resolved.How,
                    ["kept"] = resolved.Kept.ToList(),
                    ["removed"] = resolved.Removed.ToList(),
                };
                break;
            case TransferEvent transfer:
                model["transfer"] = new Dictionary<string, object?>
                {
                    ["direction"] = transfer.Direction,
                    ["phase"] = transfer.Phase,
                    ["key"] = transfer.Key,
                    ["file"] = transfer.File,
                    ["remote"] = transfer.Remote,
                    ["bytes"] = transfer.Bytes,
                    ["error"] = transfer.Error,
                };
                break;
            case RemoteConnectedEvent connected:
                model["connection"] = new Dictionary<string, object?> { ["connected"] = true, ["reason"] = connected.Reason };
                break;
            case RemoteDisconnectedEvent disconnected:
                model["connection"] = new Dictionary<string, object?> { ["connected"] = false, ["reason"] = disconnected.Reason };
                break;
            case ErrorEvent error:
                model["error"] = new Dictionary<string, object?> { ["component"] = error.Component, ["message"] = error.Message };
                break;
        }
        return new HookEventPayload(e, model);
    }

    public static string? RemoteOf(SyncEvent e) => e switch
    {
        PushEvent push => push.Remote,
        ReceiveEvent receive => receive.Remote,
        TransferEvent transfer => transfer.Remote,
        RemoteConnectedEvent connected => connected.Remote,
        RemoteDisconnectedEvent disconnected => disconnected.Remote,
        _ => null,
    };

    /// <summary>change: added, modified, deleted, then both names of each rename; conflict: the conflicted paths; transfer: the file.</summary>
    public static IReadOnlyList<string> PathsOf(SyncEvent e) => e switch
    {
        ChangeEvent change => [.. change.Commit.Added, .. change.Commit.Modified, .. change.Commit.Deleted,
            .. change.Commit.Renamed.SelectMany(r => new[] { r.From, r.To })],
        ConflictEvent conflict => conflict.Conflicts.Select(c => c.Path).ToList(),
        ResolvedEvent resolved => [resolved.Path, .. resolved.Removed],
        TransferEvent transfer => [transfer.File],
        _ => [],
    };

    private static Dictionary<string, object?> Commit(string id, string summary) => new() { ["id"] = id, ["summary"] = summary };

    private static List<Dictionary<string, object?>> Conflicts(IEnumerable<ResolvedConflict> conflicts) =>
        conflicts.Select(c => new Dictionary<string, object?> { ["path"] = c.Path, ["kept_as"] = c.KeptAs.ToList() }).ToList();

    private static string KindName(MergeKind kind) => kind switch
    {
        MergeKind.UpToDate => "up_to_date",
        MergeKind.FastForward => "fast_forward",
        MergeKind.Merged => "merged",
        MergeKind.MergedWithConflicts => "merged_with_conflicts",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
