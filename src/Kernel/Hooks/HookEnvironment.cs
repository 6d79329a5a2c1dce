using System.Globalization;
using Tether.Kernel.Events;

namespace Tether.Kernel.Hooks;

/// <summary>
/// The TETHER_* variables every hook gets besides the JSON on stdin (docs/HOOKS.md lists them). A variable
/// that does not apply to the event is not set. The hook's own <c>env:</c> entries are applied last.
/// </summary>
public static class HookEnvironment
{
    public static IReadOnlyDictionary<string, string> For(HookEventPayload payload, string hookName, IReadOnlyDictionary<string, string>? extra = null)
    {
        var e = payload.Source;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TETHER_EVENT"] = e.Name,
            ["TETHER_AT"] = (string)payload.Model["at"]!,
            ["TETHER_REPO"] = (string)payload.Model["repo"]!,
            ["TETHER_HOOK"] = hookName,
            ["TETHER_COALESCED"] = Number((int)payload.Model["coalesced"]!),
        };
        if (payload.Remote is { } remote) env["TETHER_REMOTE"] = remote;
        switch (e)
        {
            case ChangeEvent change:
                env["TETHER_COMMIT"] = change.Commit.CommitId;
                env["TETHER_SUMMARY"] = change.Commit.Summary();
                env["TETHER_PATHS_COUNT"] = Number(payload.Paths.Count);
                break;
            case CommitEvent commit:
                env["TETHER_COMMIT"] = commit.CommitId;
                env["TETHER_SUMMARY"] = commit.Summary;
                break;
            case PushEvent push:
                env["TETHER_OK"] = push.Ok ? "true" : "false";
                if (push.Error is { } pushError) env["TETHER_ERROR"] = pushError;
                break;
            case ConflictEvent or ResolvedEvent:
                env["TETHER_PATHS_COUNT"] = Number(payload.Paths.Count);
                break;
            case TransferEvent transfer:
                env["TETHER_DIRECTION"] = transfer.Direction;
                env["TETHER_PHASE"] = transfer.Phase;
                env["TETHER_KEY"] = transfer.Key;
                env["TETHER_FILE"] = transfer.File;
                env["TETHER_BYTES"] = transfer.Bytes.ToString(CultureInfo.InvariantCulture);
                env["TETHER_PATHS_COUNT"] = "1";
                if (transfer.Error is { } transferError) env["TETHER_ERROR"] = transferError;
                break;
            case RemoteConnectedEvent connected:
                env["TETHER_REASON"] = connected.Reason;
                break;
            case RemoteDisconnectedEvent disconnected:
                env["TETHER_REASON"] = disconnected.Reason;
                break;
            case ErrorEvent error:
                env["TETHER_COMPONENT"] = error.Component;
                env["TETHER_ERROR"] = error.Message;
                break;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) env[key] = value;
        return env;
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
