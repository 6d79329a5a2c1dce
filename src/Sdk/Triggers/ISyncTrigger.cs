namespace Tether.Sdk.Triggers;

/// <summary>
/// Something that knows when a remote should be synced: a timer, a drive being plugged in, a message from a peer.
/// It runs for the daemon's life and tells the kernel through <see cref="ISyncRequester"/>; the kernel does the
/// syncing (git, then content, then the <c>remote-connected</c> hook event). Since contracts 1.2.
/// </summary>
public interface ISyncTrigger
{
    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled (then returns or throws <see cref="OperationCanceledException"/>).
    /// Must not spin: wait on the thing it watches. An exception stops only this trigger (logged by the kernel).
    /// </summary>
    Task RunAsync(ISyncRequester kernel, CancellationToken ct);
}
