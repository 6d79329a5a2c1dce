namespace Tether.Kernel.Configuration;

public sealed class TransferConfig
{
    /// <summary>How many transfers may run at the same time.</summary>
    public int Slots { get; init; } = 2;

    public TransferStrategy Strategy { get; init; } = TransferStrategy.Tree;
}
