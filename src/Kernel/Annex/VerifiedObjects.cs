using System.Collections.Concurrent;
using Tether.Kernel.Native;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>
/// Objects this process has seen match their keys, each with the stamp it had then. An object whose stamp is unchanged
/// need not be hashed again before it is sent (a 1 GiB object sent to three remotes is read once, not three times);
/// any write to it, through a locked file's link too, changes its change time and so its stamp.
/// </summary>
internal sealed class VerifiedObjects
{
    private readonly ConcurrentDictionary<Key, FileIdentity.Stamp> _stamps = new();

    /// <summary>Notes that the object had this stamp when it was checked (or written) to hold the key's bytes.</summary>
    public void Remember(Key key, FileIdentity.Stamp? stamp)
    {
        if (stamp is { } known) _stamps[key] = known;
        else _stamps.TryRemove(key, out _);
    }

    /// <summary>True when the object still has the stamp it had when it was checked.</summary>
    public bool Vouches(Key key, FileIdentity.Stamp? stamp) =>
        stamp is { } now && _stamps.TryGetValue(key, out var known) && now == known;
}
