using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>What happened to a file offered to the annex.</summary>
public abstract record IngestOutcome
{
    /// <summary>The file is now a symlink to its object.</summary>
    public sealed record Annexed(string RelativePath, Key Key) : IngestOutcome;

    /// <summary>The file changed while it was being hashed (still being written): try again later.</summary>
    public sealed record Unstable(string RelativePath) : IngestOutcome;

    /// <summary>The file vanished before it could be ingested.</summary>
    public sealed record Vanished(string RelativePath) : IngestOutcome;
}
