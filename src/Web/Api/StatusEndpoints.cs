using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tether.Kernel.Control;
using Tether.Kernel.Status;
using Tether.Web.Hosting;

namespace Tether.Web.Api;

/// <summary>Status and remotes: what `tether status` shows, and poke (`tether poke [REMOTE]`).</summary>
public static class StatusEndpoints
{
    public static void Map(RouteGroupBuilder api, DashboardSources sources)
    {
        api.MapGet("/status", () => sources.Status())
            .WithName("GetStatus").WithSummary("The daemon's state: last commit, pending changes, each remote, every queued and running transfer, warnings (what `tether status --json` prints)")
            .Produces<StatusSnapshot>();
        api.MapPost("/poke", () => Operations.Run(sources, new ControlRequest(ControlCommand.Poke)))
            .WithName("PokeAll").WithSummary("Sync with every remote now (`tether poke`)");
        api.MapPost("/remotes/{name}/poke", (string name) => Operations.Run(sources, new ControlRequest(ControlCommand.Poke, Remote: name)))
            .WithName("PokeRemote").WithSummary("Sync with one remote now (`tether poke NAME`)");
    }
}

/// <summary>Runs one control request through the daemon's own handler: 200 when done, 409 when the daemon refused (its reason in the body).</summary>
internal static class Operations
{
    public static Results<Ok<OperationResult>, Conflict<OperationResult>> Run(DashboardSources sources, ControlRequest request)
    {
        var response = sources.Control(request);
        var result = new OperationResult(response.Ok, response.Message ?? (response.Ok ? "done" : "refused"));
        return response.Ok ? TypedResults.Ok(result) : TypedResults.Conflict(result);
    }
}
