using Tether.Sdk.Keys;

namespace Tether.Sdk.Backends;

/// <summary>
/// Optional, beside <see cref="IContentBackend"/>: a remote that can say where on its side a key's content is (a URL,
/// a bucket path), as git-annex's external protocol's WHEREIS does. <c>tether whereis</c> shows it under the remote.
/// </summary>
public interface IWhereisBackend
{
    /// <summary>A one-line, printable description of where the key is on the remote; null when it knows nothing more.</summary>
    Task<string?> WhereisAsync(Key key, CancellationToken ct);
}
