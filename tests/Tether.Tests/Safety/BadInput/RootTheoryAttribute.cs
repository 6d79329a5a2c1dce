using Xunit;

namespace Tether.Tests.Safety.BadInput;

/// <summary>A theory that needs root (chown to another user): reported as skipped, with the reason, otherwise.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Mounts.CanMount) Skip = Mounts.NotRootReason;
    }
}
