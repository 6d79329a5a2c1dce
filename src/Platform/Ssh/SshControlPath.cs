using Tether.Platform.Native;

namespace Tether.Platform.Ssh;

/// <summary>
/// Where OpenSSH's multiplexing sockets go. The kernel's git commands and the shipped plugins' ssh and rsync
/// commands use the same path (all through <see cref="SshCommandLine"/>), so they share one connection per host.
/// </summary>
public static class SshControlPath
{
    /// <summary>The ControlPath option value (%C: a hash of host, port and user).</summary>
    /// <exception cref="PrivateFolderException">The folder exists and another user could reach or plant a socket in it.</exception>
    public static string Pattern => $"{ControlDirectory()}/tether-ssh-%C";

    /// <summary>$XDG_RUNTIME_DIR when private, else a private folder of this user's in the temp folder ($TMPDIR or /tmp).</summary>
    public static string ControlDirectory() => RuntimeFolders.SshSockets();
}
