using System.Globalization;
using System.Text;

namespace Tether.Kernel.Shell;

/// <summary>
/// Where a forced `tether shell` notes what it refused, for the server's owner: one line each, with the time, the client
/// (SSH_CONNECTION's address) and the request as sent (flattened, bounded), in <c>$XDG_STATE_HOME/tether/shell.log</c>
/// (default <c>~/.local/state/tether/shell.log</c>). The file is kept under 1 MiB (the older half is moved to
/// <c>shell.log.1</c>), so a client hammering refused commands cannot fill the disk. Logging never fails the refusal.
/// </summary>
public static class ShellRefusalLog
{
    private const long MaxBytes = 1 << 20;

    public static string PathFor(Func<string, string?> environment, string home)
    {
        var state = environment("XDG_STATE_HOME") is { Length: > 0 } s && Path.IsPathRooted(s) ? s : Path.Combine(home, ".local", "state");
        return Path.Combine(state, "tether", "shell.log");
    }

    public static void Append(string file, DateTimeOffset now, string? sshConnection, string? request, string reason)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (File.Exists(file) && new FileInfo(file).Length > MaxBytes) File.Move(file, file + ".1", overwrite: true);
            var client = sshConnection?.Split(' ') is [var address, var port, ..] ? $"{address}:{port}" : "local";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} refused from {ForcedRequest.Shown(client)}: {ForcedRequest.Shown(request ?? "(none)")}: {reason.ReplaceLineEndings(" ")}\n");
            File.AppendAllText(file, line, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the client is still refused
    }
}
