using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>A fact that needs root (mounts, device nodes, running tether as another user): reported as skipped, with the reason, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Mounts.CanMount) Skip = Mounts.NotRootReason;
    }
}
