using System.Text.RegularExpressions;
using Tether.Kernel.Native;

namespace Tether.Tests.Transfers.Records;

/// <summary>/proc/locks as the oracle: "1: POSIX  ADVISORY  WRITE 24451 fe:00:11659257 0 EOF".</summary>
internal static partial class ProcLocks
{
    public static bool PosixWriteLockHeld(int pid, string path)
    {
        if (FileIdentity.OfPath(path) is not { } id) return false;
        foreach (var line in File.ReadAllLines("/proc/locks"))
        {
            var m = LockLine().Match(line);
            if (m.Success && int.Parse(m.Groups["pid"].Value) == pid && ulong.Parse(m.Groups["ino"].Value) == id.Inode) return true;
        }
        return false;
    }

    [GeneratedRegex(@"POSIX\s+ADVISORY\s+WRITE\s+(?<pid>\d+)\s+[0-9a-f]+:[0-9a-f]+:(?<ino>\d+)\s+0\s+EOF")]
    private static partial Regex LockLine();
}
