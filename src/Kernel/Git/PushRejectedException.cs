namespace Tether.Kernel.Git;

/// <summary>A push the remote refused (usually: not a fast-forward, so we must pull and merge first).</summary>
public sealed class PushRejectedException(string remote, IReadOnlyList<string> refs, string reason)
    : Exception($"{remote} refused {string.Join(", ", refs)}: {reason}")
{
    public IReadOnlyList<string> Refs { get; } = refs;
}
