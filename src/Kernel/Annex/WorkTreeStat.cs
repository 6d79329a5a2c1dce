using Tether.Kernel.Native;

namespace Tether.Kernel.Annex;

/// <summary>What tells a work-tree file changed without reading it: size, modification time and inode (as git's index does).</summary>
internal readonly record struct WorkTreeStat(long Length, DateTime Modified, FileIdentity.Id Inode)
{
    /// <summary>The regular file at the path (never a link's target), or null when none is there.</summary>
    public static WorkTreeStat? Of(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null) return null;
        return FileIdentity.OfPath(path) is { } inode ? new WorkTreeStat(info.Length, info.LastWriteTimeUtc, inode) : null;
    }
}
