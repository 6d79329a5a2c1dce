using System.Security.Cryptography;
using System.Text;
using Tether.Kernel.Repositories;
using Tether.Platform.Native;

namespace Tether.Kernel.Control;

/// <summary>
/// Where a repository's control socket lives: .git/tether/control.sock, in a 0700 folder so only the
/// owning user reaches it. A Unix socket path is limited to 107 bytes; for deeper repositories the socket
/// goes to the private per-user folder for control sockets (<see cref="RuntimeFolders.ControlSockets"/>:
/// $XDG_RUNTIME_DIR/tether, else $TMPDIR/tether-USER/tether) instead, named by a hash of the repository path.
/// </summary>
public static class ControlSocketPath
{
    private const int MaxSocketPath = 100;

    /// <exception cref="PrivateFolderException">The per-user folder exists and is not private (another user made it).</exception>
    public static string For(AnnexRepository repo)
    {
        var inRepo = Path.Combine(repo.StateDir, "control.sock");
        if (Encoding.UTF8.GetByteCount(inRepo) <= MaxSocketPath) return inRepo;
        var folder = RuntimeFolders.ControlSockets();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repo.GitDir)))[..24];
        return Path.Combine(folder, $"{hash}.sock");
    }

    /// <summary>Creates the socket's folder readable by its owner only.</summary>
    public static void PrepareFolder(string socketPath)
    {
        var folder = Path.GetDirectoryName(socketPath)!;
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
