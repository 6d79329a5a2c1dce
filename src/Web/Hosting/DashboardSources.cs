using Tether.Kernel.Configuration;
using Tether.Kernel.Control;
using Tether.Kernel.Events;
using Tether.Kernel.Hooks;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.Status;

namespace Tether.Web.Hosting;

/// <summary>
/// What the dashboard reads and drives: the running daemon's own state and operations, handed in by `tether watch`.
/// Nothing here is a second copy: status is the daemon's <see cref="DaemonStatus"/>, operations go through the same
/// handler as the control socket, events are the bus the hooks read.
/// </summary>
public sealed class DashboardSources
{
    public required AnnexRepository Repository { get; init; }

    public required Func<StatusSnapshot> Status { get; init; }

    /// <summary>The daemon's control handler (`AssistantDaemon.Control`): what `tether transfers pause` reaches through the socket.</summary>
    public required Func<ControlRequest, ControlResponse> Control { get; init; }

    public required EventBus Events { get; init; }

    /// <summary>The config file as it is on disk now, loaded and checked (a <see cref="ConfigException"/> when it is wrong).</summary>
    public required Func<TetherConfig> LoadConfig { get; init; }

    /// <summary>The daemon's log file (.git/tether/daemon.log).</summary>
    public required string LogPath { get; init; }

    /// <summary>The network map as SVG (what `tether map --format svg` writes), or why it cannot be drawn.</summary>
    public required Func<CancellationToken, Task<MapDrawing>> Map { get; init; }

    public required Func<IReadOnlyList<HookDefinition>> Hooks { get; init; }

    public required string HookDropInRoot { get; init; }

    public required HookRunHistory HookRuns { get; init; }

    /// <summary>
    /// The remotes opened for content, as `tether restore` opens them: an old version's content is fetched from one
    /// that has it. Closed (disposed) after each restore.
    /// </summary>
    public required Func<CancellationToken, Task<ContentRemotes>> OpenRemotes { get; init; }
}

/// <summary>Remotes opened for content for one operation; disposing closes them.</summary>
public sealed class ContentRemotes(IReadOnlyList<RemoteEndpoint> remotes, Func<ValueTask> close) : IAsyncDisposable
{
    public IReadOnlyList<RemoteEndpoint> Remotes => remotes;

    public ValueTask DisposeAsync() => close();
}

/// <summary>The map as SVG, or the error that kept it from being drawn (Graphviz's dot missing, say).</summary>
public sealed record MapDrawing(string? Svg, string? Error);
