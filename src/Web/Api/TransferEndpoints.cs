using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tether.Kernel.Control;
using Tether.Kernel.Status;
using Tether.Web.Hosting;

namespace Tether.Web.Api;

/// <summary>The transfer queue: list, pause, resume, cancel and "do this first", per transfer and per remote (`tether transfers ...`).</summary>
public static class TransferEndpoints
{
    public static void Map(RouteGroupBuilder api, DashboardSources sources)
    {
        api.MapGet("/transfers", () => sources.Status().Transfers)
            .WithName("ListTransfers").WithSummary("Running transfers first, then the queued ones in the order they will run (`tether transfers --json`)")
            .Produces<IReadOnlyList<TransferStatus>>();
        api.MapPost("/transfers/pause", () => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersPause)))
            .WithName("PauseTransfers").WithSummary("Stop starting transfers; running ones go back in the queue, partial data kept (`tether transfers pause`)");
        api.MapPost("/transfers/resume", () => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersResume)))
            .WithName("ResumeTransfers").WithSummary("Start transfers again (`tether transfers resume`)");
        api.MapPost("/transfers/{id}/pause", (string id) => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersPause, Id: id)))
            .WithName("PauseTransfer").WithSummary("Pause one transfer: it waits in the queue (running: put back, partial data kept) until resumed (`tether transfers pause ID`)");
        api.MapPost("/transfers/{id}/resume", (string id) => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersResume, Id: id)))
            .WithName("ResumeTransfer").WithSummary("Resume one transfer paused on its own (`tether transfers resume ID`)");
        api.MapPost("/remotes/{name}/transfers/pause", (string name) => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersPause, Remote: name)))
            .WithName("PauseRemoteTransfers").WithSummary("Pause every transfer with a remote, now and later ones, until resumed (`tether transfers pause --remote NAME`)");
        api.MapPost("/remotes/{name}/transfers/resume", (string name) => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersResume, Remote: name)))
            .WithName("ResumeRemoteTransfers").WithSummary("Resume the transfers with a remote (`tether transfers resume --remote NAME`)");
        api.MapPost("/transfers/{id}/cancel", (string id) => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersCancel, Id: id)))
            .WithName("CancelTransfer").WithSummary("Cancel one transfer by id; a cancelled download leaves no partial data (`tether transfers cancel ID`)");
        api.MapPost("/transfers/{id}/first", (string id) => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersFirst, Id: id)))
            .WithName("TransferFirst").WithSummary("Do this first: move a queued transfer ahead of all others (`tether transfers first ID`)");
        api.MapPost("/remotes/{name}/transfers/cancel", (string name) => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersCancel, Remote: name)))
            .WithName("CancelRemoteTransfers").WithSummary("Cancel every transfer with a remote (`tether transfers cancel --remote NAME`)");
        api.MapPost("/remotes/{name}/transfers/first", (string name) => Operations.Run(sources, new ControlRequest(ControlCommand.TransfersFirst, Remote: name)))
            .WithName("RemoteTransfersFirst").WithSummary("Do these first: move every queued transfer with a remote ahead of the others (`tether transfers first --remote NAME`)");
    }
}
