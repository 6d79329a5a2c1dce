using Tether.Kernel.Configuration;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Network;

/// <summary>The <see cref="IUploadTargets"/> for a configured <see cref="TransferStrategy"/>.</summary>
public static class UploadTargets
{
    public static IUploadTargets For(TransferStrategy strategy, AnnexRepository repo, TimeProvider clock) =>
        strategy == TransferStrategy.Tree ? new TreeUploadTargets(repo, clock) : new FloodUploadTargets();
}
