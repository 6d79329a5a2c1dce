using Tether.Sdk.Keys;

namespace Tether.Sdk.Backends;

/// <summary>
/// A remote's content store, addressed by key. Small and async, like Duplicati's IBackend:
/// the kernel owns retries, verification, transfer records and location logs.
/// </summary>
public interface IContentBackend : IAsyncDisposable
{
    /// <summary>
    /// Whether <see cref="RetrieveAsync"/> and <see cref="StoreAsync"/> continue an interrupted transfer instead
    /// of starting over. The kernel keeps a partial download for the next try only for such backends.
    /// </summary>
    bool CanResume => false;

    /// <summary>
    /// The remote repository's annex UUID, asked of the remote itself (an ssh remote answers through
    /// <c>tether shell</c>); null when the backend cannot tell. The kernel asks only when it does not know it yet.
    /// </summary>
    Task<string?> ReadRemoteUuidAsync(CancellationToken ct) => Task.FromResult<string?>(null);

    /// <summary>Whether the remote holds the content of <paramref name="key"/> right now.</summary>
    Task<bool> HasKeyAsync(Key key, CancellationToken ct);

    /// <summary>Sends the file's content to the remote under <paramref name="key"/>. Must be atomic on the remote side: a partial upload is never visible as the key.</summary>
    Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct);

    /// <summary>
    /// Writes the key's content to <paramref name="destinationFile"/>. If that file already holds a prefix
    /// (an interrupted download), a backend that can resume appends the rest. The kernel verifies the result.
    /// </summary>
    Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct);

    /// <summary>Removes the key's content from the remote; no error if it was absent.</summary>
    Task RemoveAsync(Key key, CancellationToken ct);
}
