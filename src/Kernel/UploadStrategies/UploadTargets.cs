using Microsoft.Extensions.Logging;
using Tether.Kernel.Configuration;
using Tether.Kernel.Repositories;
using Tether.Kernel.Wants;

namespace Tether.Kernel.UploadStrategies;

/// <summary>The <see cref="IUploadTargets"/> for a configured <see cref="TransferStrategy"/>.</summary>
public static class UploadTargets
{
    /// <summary>
    /// The strategy, seeing as not wanted what the remotes' own published wants exclude, and what a transfer point
    /// (a cloud remote) holds only for nodes that lack it.
    /// </summary>
    public static IUploadTargets For(TransferStrategy strategy, AnnexRepository repo, TimeProvider clock, ILogger log) =>
        new TransferPoints.TransferPointFilter(
            new PublishedWantsFilter(strategy == TransferStrategy.Tree ? new TreeUploadTargets(repo, clock, log) : new FloodUploadTargets(), repo, clock, log),
            repo, clock);
}
