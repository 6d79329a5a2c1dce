using Tether.Sdk.Keys;

namespace Tether.Sdk.Backends;

/// <summary>
/// A remote's content store, addressed by key. Small and async, like Duplicati's IBackend:
/// the kernel owns retries, verification, transfer records and location logs. What only some backends can do is an
/// optional interface a backend implements besides this one (<see cref="IResumableBackend"/>,
/// <see cref="IRemoteUuidSource"/>); the kernel asks for it with <c>is</c>.
/// </summary>
public interface IContentBackend : IAsyncDisposable
{
    /// <summary>Whether the remote holds the content of <paramref name="key"/> right now.</summary>
    Task<bool> HasKeyAsync(Key key, CancellationToken ct);

    /// <summary>Sends the file's content to the remote under <paramref name="key"/>. Must be atomic on the remote side: a partial upload is never visible as the key.</summary>
    Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct);

    /// <summary>
    /// Writes the key's content to <paramref name="destinationFile"/>. If that file already holds a prefix
    /// (an interrupted download), a backend that can resume (<see cref="IResumableBackend"/>) appends the rest. The kernel verifies the result.
    /// </summary>
    Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct);

    /// <summary>Removes the key's content from the remote; no error if it was absent.</summary>
    Task RemoveAsync(Key key, CancellationToken ct);
}
