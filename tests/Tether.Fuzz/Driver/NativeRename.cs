using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tether.Fuzz.Driver;

/// <summary>
/// The two POSIX calls the driver needs exactly: renameat2(RENAME_NOREPLACE) (a rename that never replaces, as a user's
/// `mv -n` or a file manager does; .NET's File.Move without overwrite links then unlinks) and link(2) (to keep the
/// very inode an atomic save is about to replace, so the ledger knows which content the save destroyed).
/// </summary>
internal static partial class NativeRename
{
    private const int AT_FDCWD = -100;
    private const uint RENAME_NOREPLACE = 1;

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);

    /// <summary>Renames without replacing; false when the source is gone or the target exists.</summary>
    public static bool TryRenameNoReplace(string from, string to) => RenameAt2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0;

    /// <summary>A second name for the inode at <paramref name="existing"/> (not following a symlink); false when it is gone.</summary>
    public static bool TryHardLink(string existing, string newPath) => Link(existing, newPath) == 0;

    public static string LastError() => new Win32Exception(Marshal.GetLastPInvokeError()).Message;
}
