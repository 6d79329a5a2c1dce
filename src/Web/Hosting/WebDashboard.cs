using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Configuration;
using Tether.Web.Api;
using Tether.Web.Events;
using Tether.Web.Security;

namespace Tether.Web.Hosting;

/// <summary>
/// The dashboard `tether watch` serves: Kestrel on loopback (by default), the page and its assets from this assembly,
/// the REST API under /api, the event stream, and the OpenAPI document at /api/openapi.json, all behind the
/// <see cref="RequestGuard"/>. <see cref="RunAsync"/> serves until the daemon stops.
/// </summary>
public sealed class WebDashboard(DashboardSources sources, WebConfig config, ILoggerFactory loggers, TimeProvider clock, int eventBufferSize = EventJournal.DefaultCapacity)
{
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Subscribed from construction: made before the daemon starts, the stream has its events from the first one.
    private readonly EventJournal _journal = new(sources.Events, sources.Repository.WorkTree ?? sources.Repository.GitDir, eventBufferSize);

    /// <summary>The URL once the server listens (without the token).</summary>
    public Task<Uri> Listening => _listening.Task;

    public async Task RunAsync(CancellationToken ct)
    {
        var log = loggers.CreateLogger("web");
        var stateDir = sources.Repository.StateDir;
        var token = AccessToken.LoadOrCreate(stateDir);
        var journal = _journal;
        var journalling = journal.RunAsync(ct);
        var address = IPAddress.Parse(config.Address);
        WebApplication? app = null;
        try
        {
            foreach (var port in DashboardPorts.Candidates(config, sources.Repository.GitDir))
            {
                var hosts = new AllowedHosts(address);
                app = Build(new IPEndPoint(address, port), token, hosts, journal, ct);
                try
                {
                    await app.StartAsync(ct);
                    break;
                }
                catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    log.LogDebug("Port {Port} is taken; trying the next", port);
                    await app.DisposeAsync();
                    app = null;
                }
            }
            if (app is null)
            {
                log.LogWarning("The dashboard is off: port {Port} on {Address} is taken (set web.port in the config to another, or auto)", config.Port, config.Address);
                _listening.TrySetException(new IOException("every port tried is taken"));
                return;
            }
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
            app.Services.GetRequiredService<AllowedHosts>().Port = url.Port;
            new DashboardAddress(url.ToString(), Environment.ProcessId).Write(stateDir);
            log.LogInformation("Dashboard at {Url} ('tether open' opens it with its token)", url);
            _listening.TrySetResult(url);
            Kernel.Coordination.ObservedTask.Forget(WarmUpAsync(url, token, ct), log, "Warming up the dashboard");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _listening.TrySetException(e);
            throw;
        }
        finally
        {
            _listening.TrySetCanceled(CancellationToken.None);
            DashboardAddress.Remove(stateDir);
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
            await journalling;
        }
    }

    /// <summary>
    /// One request for the page and one for the status, at start: the code they run is compiled before a user asks, so the
    /// first page load is as quick as the next ones (about 300 ms cold, under 10 ms warm; bench/web_overhead.sh).
    /// </summary>
    private static async Task WarmUpAsync(Uri url, AccessToken token, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Value);
        foreach (var path in new[] { "", "assets/app.js", "api/status" })
            (await client.GetAsync(path, ct)).Dispose();
    }

    private WebApplication Build(IPEndPoint endpoint, AccessToken token, AllowedHosts hosts, EventJournal journal, CancellationToken stopping)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(endpoint);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 64 * 1024; // no endpoint takes a body
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        builder.Logging.ClearProviders().AddProvider(new ForwardingLoggerProvider(loggers))
            .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = WebJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = WebJson.Options.DefaultIgnoreCondition;
            foreach (var converter in WebJson.Options.Converters) o.SerializerOptions.Converters.Add(converter);
        });
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Tether dashboard API";
            document.Info.Description = "The running daemon's state and operations (the same as the CLI's), and its events. " +
                                        "Every request needs the token: 'Authorization: Bearer <.git/tether/web-token>'. See docs/WEB.md.";
            return Task.CompletedTask;
        }));
        builder.Services.AddSingleton(hosts);
        var app = builder.Build();
        var guard = new RequestGuard(token, hosts);
        app.Use((context, next) => guard.InvokeAsync(context, c => next(c)));
        app.UseRouting(); // after the guard: nothing is matched, let alone run, for a refused request
        new EmbeddedAssets().Map(app);
        var api = app.MapGroup("/api");
        StatusEndpoints.Map(api, sources);
        TransferEndpoints.Map(api, sources);
        InspectionEndpoints.Map(api, sources, journal);
        HistoryEndpoints.Map(api, sources, clock, loggers);
        api.MapGet("/events", (Delegate)(Task (HttpContext context) => EventStream.ServeAsync(context, journal, clock, stopping)))
            .WithName("StreamEvents")
            .WithSummary("Server-Sent Events: every daemon event as the JSON hooks receive, with ids (RUN-N); reconnect with Last-Event-ID to miss nothing; a 'gap' event reports what was lost")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        app.MapOpenApi("/api/openapi.json");
        return app;
    }
}
