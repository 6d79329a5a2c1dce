using System.Runtime.InteropServices;

namespace Tether.Platform.Processes;

/// <summary>Signals a whole process group (a hook and everything it started), as kill(-pgid, sig) does.</summary>
public static partial class ProcessGroup
{
    private const int SIGKILL = 9;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpgid(int pid);

    /// <summary>SIGKILL to every process in the group; false if the group no longer exists.</summary>
    public static bool Kill(int processGroupId) => processGroupId > 1 && kill(-processGroupId, SIGKILL) == 0;

    /// <summary>The process group of a process; -1 if it is gone.</summary>
    public static int Of(int pid) => getpgid(pid);
}
