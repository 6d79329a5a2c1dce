namespace Tether.Kernel.Configuration;

/// <summary>How annexed content spreads to remotes; written in lower case in config files.</summary>
public enum TransferStrategy
{
    Flood,
    Tree,
}
