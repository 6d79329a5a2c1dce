namespace Tether.Fuzz.Driver;

/// <summary>
/// What the driver wrote and destroyed, by content hash (SHA-256, lower-case hex; every write carries a unique
/// token, so a hash names one write). The model checked after quiescence:
/// <list type="bullet">
/// <item>a content is <b>required</b> once a write of it landed (the path held it right after the write) and stays
/// required until the driver itself destroys it: overwrites or appends to the file that holds it (read through the
/// same descriptor), atomically saves over it (the replaced inode is kept by a hard link), or deletes it (the file or
/// its folder is first renamed out of the work tree, then read). A merge, a conflict or a rename on another node never
/// makes a content unrequired: Tether must keep it, at its path, another path, or as a conflict variant;</item>
/// <item>every content found in any work tree must be one the driver wrote (no corruption, no invented content).</item>
/// </list>
/// Thread-safe: the "same path on two nodes" operation writes from two threads.
/// </summary>
public sealed class ContentLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);
    private readonly HashSet<string> _required = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _destroyedBy = new(StringComparer.Ordinal);

    public int Unlanded { get; private set; }

    /// <summary>A write whose content was at its path right after the write.</summary>
    public void Landed(string hash, string description)
    {
        lock (_gate)
        {
            _written[hash] = description;
            _required.Add(hash);
        }
    }

    /// <summary>A write the daemon replaced before the driver could see it at its path (a merge landed on the same path at once): allowed, not required.</summary>
    public void NotLanded(string hash, string description)
    {
        lock (_gate)
        {
            _written.TryAdd(hash, description + " (not seen at its path after the write)");
            Unlanded++;
        }
    }

    /// <summary>The driver overwrote or deleted this content on one node: it may legitimately disappear.</summary>
    public void Destroyed(string hash, string description)
    {
        lock (_gate)
        {
            _required.Remove(hash);
            _destroyedBy[hash] = description;
        }
    }

    public bool WasWritten(string hash) { lock (_gate) return _written.ContainsKey(hash); }

    public IReadOnlyCollection<string> Required() { lock (_gate) return _required.ToList(); }

    public int WrittenCount { get { lock (_gate) return _written.Count; } }

    public string Describe(string hash)
    {
        lock (_gate)
        {
            var written = _written.TryGetValue(hash, out var w) ? w : "never written by the driver";
            return _destroyedBy.TryGetValue(hash, out var d) ? $"{written}; destroyed by {d}" : written;
        }
    }
}
