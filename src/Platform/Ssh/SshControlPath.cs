using Tether.Kernel.Native;

namespace Tether.Kernel.Git;

/// <summary>
/// Where OpenSSH's multiplexing sockets go. The kernel's git commands and the shipped plugins' ssh and rsync
/// commands must use the same path to share one connection, so this one file is compiled into both
/// (the plugins cannot reference the kernel), with <see cref="PrivateFolder"/>.
/// </summary>
internal static class SshControlPath
{
    /// <summary>The ControlPath option value (%C: a hash of host, port and user).</summary>
    /// <exception cref="PrivateFolderException">The folder exists and another user could reach or plant a socket in it.</exception>
    public static string Pattern => $"{ControlDirectory()}/tether-ssh-%C";

    /// <summary>$XDG_RUNTIME_DIR when private, else a private folder of this user's in the temp folder ($TMPDIR or /tmp).</summary>
    public static string ControlDirectory() => PrivateFolder.UserRuntimeFolder("tether-ssh");
}
