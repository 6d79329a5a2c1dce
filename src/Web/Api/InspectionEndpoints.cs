using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tether.Kernel.Configuration;
using Tether.Kernel.Hooks;
using Tether.Web.Events;
using Tether.Web.Hosting;

namespace Tether.Web.Api;

/// <summary>Read-only views: the map, the effective config and its errors, the log tail, hooks and their runs, recent events.</summary>
public static class InspectionEndpoints
{
    private const int MaxLogBytes = 256 * 1024;

    public static void Map(RouteGroupBuilder api, DashboardSources sources, EventJournal journal)
    {
        api.MapGet("/map.svg", (Delegate)(Task<IResult> (HttpContext context) => MapSvgAsync(sources, context)))
            .WithName("GetMapSvg").WithSummary("The network map as SVG, as `tether map --format svg` draws it (Graphviz's dot); 503 with the reason when it cannot be drawn")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml").Produces<ApiErrorBody>(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/config", () => Config(sources))
            .WithName("GetConfig").WithSummary("The effective config (defaults filled in, as `tether config check` prints it), or the error in the file on disk with its line and column");
        api.MapGet("/log", (int? lines) => Log(sources.LogPath, Math.Clamp(lines ?? 200, 1, 2000)))
            .WithName("GetLog").WithSummary("The last lines of the daemon's log (.git/tether/daemon.log); ?lines=N, 1 to 2000 (default 200)");
        api.MapGet("/hooks", () => Hooks(sources))
            .WithName("GetHooks").WithSummary("The hooks from the config, the drop-ins in .tether/hooks, and the last runs (newest first) with their output");
        api.MapGet("/events/recent", (string? after) => Recent(journal, after))
            .WithName("GetRecentEvents").WithSummary("The kept events after an id (?after=RUN-N; all kept ones without it), and the gap before them if some were lost; the stream is GET /api/events");
    }

    private static async Task<IResult> MapSvgAsync(DashboardSources sources, HttpContext context)
    {
        var drawing = await sources.Map(context.RequestAborted);
        if (drawing.Svg is null) return TypedResults.Json(new ApiErrorBody(drawing.Error ?? "the map could not be drawn"), statusCode: StatusCodes.Status503ServiceUnavailable);
        // Names in the map come from peers: the SVG is only ever shown as an image, and even opened directly it runs nothing.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return TypedResults.Text(drawing.Svg, "image/svg+xml", Encoding.UTF8);
    }

    private static ConfigView Config(DashboardSources sources)
    {
        try
        {
            var config = sources.LoadConfig();
            return new ConfigView(config.SourcePath, ConfigPrinter.ToYaml(config), null);
        }
        catch (ConfigException e)
        {
            return new ConfigView(e.FilePath, null, new ConfigProblem(e.Message, e.FilePath, e.Line, e.Column, e.KeyPath, e.Problem, e.Allowed));
        }
    }

    private static LogTail Log(string path, int lines)
    {
        if (!File.Exists(path)) return new LogTail(path, []);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long start = Math.Max(0, stream.Length - MaxLogBytes);
        stream.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var all = reader.ReadToEnd().Split('\n');
        var kept = all.Skip(start > 0 ? 1 : 0).Where(l => l.Length > 0).TakeLast(lines).ToList(); // a cut first line is dropped
        return new LogTail(path, kept);
    }

    private static HooksView Hooks(DashboardSources sources)
    {
        var hooks = sources.Hooks().Select(h => new HookView(h.Name, h.Config.Events, h.DisplayCommand(), h.Config.Shell, DurationText.Format(h.Config.Timeout))).ToList();
        var dropIns = HookEvents.All
            .SelectMany(e => DropInHooks.List(sources.HookDropInRoot, e).Select(d => new DropInView(e, Path.GetRelativePath(sources.HookDropInRoot, d.Path), d.SkipReason)))
            .ToList();
        var runs = sources.HookRuns.Recent().Select(r => new HookRunView(r.Result.Hook, r.Result.Event, r.Result.Command, r.Result.Succeeded,
            r.Result.Outcome, r.Result.ExitCode, r.EndedAt, (long)r.Result.Duration.TotalMilliseconds, r.Result.OutputBytes, r.Result.Output)).ToList();
        return new HooksView(hooks, dropIns, runs);
    }

    private static EventsPage Recent(EventJournal journal, string? after)
    {
        var read = journal.ReadAfter(EventId.Parse(after));
        return new EventsPage(read.Entries.Select(e => new EventView(e.Id.ToString(), e.Event, JsonDocument.Parse(e.Json).RootElement)).ToList(), read.Gap);
    }
}

/// <summary>The body of a refusal or failure.</summary>
public sealed record ApiErrorBody(string Error);
