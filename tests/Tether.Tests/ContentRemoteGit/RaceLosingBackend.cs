using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Tests.ContentRemoteGit;

/// <summary>
/// A content backend through which another node's push lands just before each of the first <paramref name="times"/>
/// reads of the manifest: a node whose push keeps losing the race to a busier one.
/// </summary>
internal sealed class RaceLosingBackend(IContentBackend inner, Key manifest, int times, Func<int, Task> otherNodePushes) : IContentBackend
{
    /// <summary>How many times the other node pushed first.</summary>
    public int Lost { get; private set; }

    public Task<bool> HasKeyAsync(Key key, CancellationToken ct) => inner.HasKeyAsync(key, ct);

    public Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct) => inner.StoreAsync(key, sourceFile, bytesDone, ct);

    public async Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        if (key == manifest && Lost < times) await otherNodePushes(++Lost);
        await inner.RetrieveAsync(key, destinationFile, bytesDone, ct);
    }

    public Task RemoveAsync(Key key, CancellationToken ct) => inner.RemoveAsync(key, ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
