namespace Tether.Platform.Native;

/// <summary>
/// The per-user folders Tether keeps sockets in, all under one rule (<see cref="PrivateFolder.UserRuntimeFolder(string)"/>):
/// $XDG_RUNTIME_DIR when it is private, else a private folder of this user's in the temp folder ($TMPDIR or /tmp).
/// </summary>
public static class RuntimeFolders
{
    /// <summary>OpenSSH's multiplexing sockets: $XDG_RUNTIME_DIR, else TMP/tether-ssh-USER.</summary>
    /// <exception cref="PrivateFolderException">The folder exists and another user could reach or plant a socket in it.</exception>
    public static string SshSockets() => PrivateFolder.UserRuntimeFolder("tether-ssh");

    /// <summary>Control sockets of repositories too deep for one in .git/tether: $XDG_RUNTIME_DIR/tether, else TMP/tether-USER/tether.</summary>
    /// <exception cref="PrivateFolderException">The folder exists and is not private (another user made it).</exception>
    public static string ControlSockets() => PrivateFolder.Ensure(Path.Combine(PrivateFolder.UserRuntimeFolder("tether"), "tether"));
}
