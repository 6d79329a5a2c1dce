using System.Text.Json;
using Tether.Web.Events;

namespace Tether.Web.Api;

/// <summary>What a POST answers: whether the daemon did it, and its words (the same as the CLI prints).</summary>
public sealed record OperationResult(bool Ok, string Message);

/// <summary>The effective config (every default spelled out, as `tether config check` prints it), or why the file on disk does not load.</summary>
public sealed record ConfigView(string? Path, string? Yaml, ConfigProblem? Error);

/// <summary>A config error with its place: file, line and column (1-based; 0 when unknown), the key, the problem and what is allowed.</summary>
public sealed record ConfigProblem(string Message, string File, int Line, int Column, string? KeyPath, string Problem, string? Allowed);

/// <summary>The last lines of the daemon's log.</summary>
public sealed record LogTail(string Path, IReadOnlyList<string> Lines);

public sealed record HooksView(IReadOnlyList<HookView> Hooks, IReadOnlyList<DropInView> DropIns, IReadOnlyList<HookRunView> Runs);

/// <summary>A hook from the config: its name, the events it takes and its command (templates unexpanded).</summary>
public sealed record HookView(string Name, IReadOnlyList<string> Events, string Command, bool Shell, string Timeout);

/// <summary>A drop-in hook (.tether/hooks/EVENT.d/NAME); SkipReason says why it does not run (not executable, say).</summary>
public sealed record DropInView(string Event, string Path, string? SkipReason);

/// <summary>One finished hook run (newest first), with the last bytes of its output.</summary>
public sealed record HookRunView(string Hook, string Event, string Command, bool Succeeded, string Outcome, int? ExitCode,
    DateTimeOffset EndedAt, long DurationMs, long OutputBytes, string Output);

/// <summary>GET /api/events/recent: the kept events after an id, and the gap before them if some are lost.</summary>
public sealed record EventsPage(IReadOnlyList<EventView> Events, Gap? Gap);

/// <summary>One event: its stream id, its name, and its data (the JSON a hook receives).</summary>
public sealed record EventView(string Id, string Event, JsonElement Data);

/// <summary>A conflict still present: the path its versions stand for, and each version (`tether conflicts`).</summary>
public sealed record ConflictView(string Path, IReadOnlyList<ConflictVersionView> Versions);

/// <summary>One version of a conflict: its file (a variant, or the name itself), its variant code, the node that made it and when.</summary>
public sealed record ConflictVersionView(string Path, string Code, string Node, DateTimeOffset At, string Commit, long? Size, bool Annexed);
