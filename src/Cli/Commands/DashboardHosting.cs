using Microsoft.Extensions.Logging;
using Tether.Cli.Logging;
using Tether.Cli.Map;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Configuration;
using Tether.Kernel.Daemon;
using Tether.Kernel.Events;
using Tether.Kernel.Repositories;
using Tether.Kernel.Topology;
using Tether.Web.Hosting;

namespace Tether.Cli.Commands;

/// <summary>
/// The dashboard inside `tether watch`: its sources are the running daemon itself (status, the control handler, the
/// event bus, the hook runs) and what the CLI already draws (the map, the effective config). A dashboard that fails
/// never stops the daemon: it is logged, and syncing goes on.
/// </summary>
internal static class DashboardHosting
{
    public static async Task RunAsync(CliContext ctx, AnnexRepository repo, WebConfig web, AssistantDaemon daemon, EventBus events,
        ILoggerFactory loggers, CancellationToken ct)
    {
        if (!web.Enabled) return;
        var sources = new DashboardSources
        {
            Repository = repo,
            Status = daemon.Status.Snapshot,
            Control = daemon.Control,
            Events = events,
            LoadConfig = () => ctx.LoadConfig(repo),
            LogPath = DaemonLogging.LogPathFor(repo),
            Map = ct2 => DrawMapAsync(repo, ctx.Clock, ct2),
            Hooks = () => daemon.Hooks,
            HookDropInRoot = daemon.HookDropInRoot,
            HookRuns = daemon.HookRuns,
            OpenRemotes = ct2 => OpenRemotesAsync(ctx, repo, ct2),
        };
        var log = loggers.CreateLogger("web");
        var dashboard = new WebDashboard(sources, web, loggers, ctx.Clock); // its event journal listens from now on
        try
        {
            await daemon.Ready.WaitAsync(ct); // it holds the daemon lock by then: a second `tether watch` never serves (nor removes web.json)
            await dashboard.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            log.LogError(e, "The dashboard stopped with an error; syncing goes on without it");
        }
    }

    /// <summary>What `tether restore` fetches an old version's content from: the config's remotes, opened as that command opens them.</summary>
    private static async Task<ContentRemotes> OpenRemotesAsync(CliContext ctx, AnnexRepository repo, CancellationToken ct)
    {
        var config = ctx.LoadConfig(repo);
        var support = await ContentCommandSupport.OpenAsync(ctx, repo, config, ctx.Backends(repo, config), ct);
        return new ContentRemotes(support.Remotes, support.DisposeAsync);
    }

    private static async Task<MapDrawing> DrawMapAsync(AnnexRepository repo, TimeProvider clock, CancellationToken ct)
    {
        NetworkMap map;
        using (var branch = new GitAnnexBranch(repo, clock)) map = NetworkMap.Read(branch, repo.RequireUuid());
        var (svg, error) = await GraphvizRenderer.RenderSvgTextAsync(MapDotRenderer.Render(map), ct);
        return new MapDrawing(svg, error);
    }
}
