using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Native;

/// <summary>
/// Starts the disk writing a file's new bytes while more are still arriving (sync_file_range), so the fsync that
/// makes a received object durable finds little left to do: without it a 1 GiB transfer ends with the whole GiB
/// written out at once, a second or more of pure disk wait after the last byte arrived. It also waits for the chunk
/// before the last to reach the disk, so a fast sender cannot pile up gigabytes of dirty pages.
/// Best effort: where the filesystem does not support it, it turns itself off and the final fsync does the work.
/// Used by the kernel's copies and by both ends of the tether shell protocol.
/// </summary>
public sealed class EarlyWriteBack(SafeFileHandle file, long startOffset)
{
    private const long Chunk = 8 << 20;
    private const uint WaitBefore = 1, Write = 2;
    private readonly long _first = startOffset;
    private long _startedTo = startOffset;
    private bool _off;

    public static EarlyWriteBack? For(Stream output) =>
        output is FileStream { CanSeek: true } file ? new EarlyWriteBack(file.SafeFileHandle, file.Position) : null;

    /// <summary>The file now holds bytes up to <paramref name="end"/>: start writing whole chunks of them.</summary>
    public void Wrote(long end)
    {
        while (!_off && end - _startedTo >= Chunk)
        {
            _off = SyncFileRange(file, _startedTo, Chunk, Write) != 0;
            if (!_off && _startedTo - Chunk >= _first)
                _off = SyncFileRange(file, _startedTo - Chunk, Chunk, WaitBefore | Write) != 0;
            _startedTo += Chunk;
        }
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);
}
