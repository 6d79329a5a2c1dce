namespace Tether.Kernel.Native;

/// <summary>One parsed <c>struct inotify_event</c>: the watch it came from, what happened, the rename cookie and the entry name (null for events about the watched folder itself).</summary>
internal readonly record struct InotifyEvent(int Wd, uint Mask, uint Cookie, string? Name)
{
    public bool Has(uint flag) => (Mask & flag) != 0;

    public bool IsDirectory => Has(Inotify.IN_ISDIR);
}
