namespace Tether.Kernel.Transfers;

/// <summary>Told of each transfer a one-shot command runs, so the CLI can draw progress bars (or print lines).</summary>
public interface ITransferObserver
{
    /// <summary>A transfer begins; the returned progress receives bytes done and is disposed when it ends.</summary>
    ITransferProgress Begin(TransferRequest request, string remote);
}

public interface ITransferProgress : IProgress<long>, IDisposable
{
    /// <summary>Whether it moved the content (false: failed, or nothing needed to move).</summary>
    void Finish(bool moved);
}
