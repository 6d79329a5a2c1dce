namespace Tether.Kernel.Watching;

/// <summary>What a <see cref="WorkTreeChange"/> tells the consumer to do with its path.</summary>
public enum WorkTreeChangeKind
{
    /// <summary>
    /// The file or symlink at the path is complete (closed after writing, moved in, chmod-ed, a symlink created, or found
    /// when a new folder was scanned): ingest it now. May repeat for the same path; the path may already be gone again
    /// by the time the consumer looks, so always check the disk.
    /// </summary>
    Written,

    /// <summary>
    /// The file at the path is being written (created or modified, not yet closed). Do not ingest yet: commit it once it
    /// has been quiet (no further event for the path) for a while. A <see cref="Written"/> usually follows, but not
    /// always: a hard link (<c>ln a b</c>) or a writer that never closes gives only this, so the quiet timeout is required.
    /// </summary>
    Writing,

    /// <summary>
    /// The file, symlink or folder at the path was deleted or moved away. For a folder, everything under the path is gone
    /// (check with git status on that path prefix).
    /// </summary>
    Removed,

    /// <summary>
    /// Events were lost (kernel queue overflow) or some folders are not watched (watch limit): rescan the whole work tree.
    /// The relative path is empty.
    /// </summary>
    RescanAll,
}
