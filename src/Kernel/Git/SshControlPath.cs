namespace Tether.Kernel.Git;

/// <summary>
/// Where OpenSSH's multiplexing sockets go. The kernel's git commands and the shipped plugins' ssh and rsync
/// commands must use the same path to share one connection, so this one file is compiled into both
/// (the plugins cannot reference the kernel).
/// </summary>
internal static class SshControlPath
{
    /// <summary>The ControlPath option value (%C: a hash of host, port and user).</summary>
    public static string Pattern => $"{ControlDirectory()}/tether-ssh-%C";

    /// <summary>$XDG_RUNTIME_DIR, else a 0700 folder of this user's in the temp folder.</summary>
    public static string ControlDirectory()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime) && Directory.Exists(runtime)) return runtime;
        var dir = Path.Combine(Path.GetTempPath(), $"tether-ssh-{Environment.UserName}");
        if (!Directory.Exists(dir))
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }
}
