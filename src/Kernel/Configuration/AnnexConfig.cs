namespace Tether.Kernel.Configuration;

public sealed class AnnexConfig
{
    public LargeFileRule LargeFiles { get; init; } = new();

    /// <summary>How many copies of an annexed file must exist before one may be dropped.</summary>
    public int NumCopies { get; init; } = 1;
}
