using System.Runtime.InteropServices;

namespace Tether.Kernel.Native;

/// <summary>
/// glibc's allocator, which libgit2 uses: it keeps freed memory (one arena per thread, up to 8 per core)
/// unless told otherwise. A long-running daemon limits the arenas and trims after large work.
/// </summary>
internal static partial class NativeMemory
{
    private const int M_ARENA_MAX = -8;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int param, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    /// <summary>At most two malloc arenas: the daemon's native work (libgit2) is serialised anyway.</summary>
    public static void LimitArenas()
    {
        try { MallOpt(M_ARENA_MAX, 2); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // not glibc
    }

    /// <summary>Hands freed native memory back to the system.</summary>
    public static void Trim()
    {
        try { MallocTrim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }
}
