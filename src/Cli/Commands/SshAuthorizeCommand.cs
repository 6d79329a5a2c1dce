using System.CommandLine;
using Tether.Kernel.Shell;
using Tether.Platform.Quoting;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether ssh-authorize KEYFILE [--directory DIR] [--read-only | --append-only] [--install [--file F]]`, run on the
/// server: the authorized_keys line that gives a laptop's public key only `tether shell --forced` (and sshd's
/// <c>restrict</c>: no pty, no forwarding), printed, or appended with --install. A key already in the file is refused
/// (sshd uses the first line that matches, so a second, restricted line would change nothing).
/// </summary>
public static class SshAuthorizeCommand
{
    private static readonly string[] KeyTypes =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ];

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var keyFile = new Argument<string>("KEYFILE") { Description = "The client's public key (e.g. id_ed25519.pub copied from the laptop)" };
        var directory = new Option<string?>("--directory") { Description = "Only repositories inside this folder may be reached with the key" };
        var readOnly = new Option<bool>("--read-only") { Description = "The key may fetch and download, nothing else" };
        var appendOnly = new Option<bool>("--append-only") { Description = "The key may add content and history, never remove or rewrite it" };
        var install = new Option<bool>("--install") { Description = "Append the line to the authorized_keys file instead of only printing it" };
        var file = new Option<string?>("--file") { Description = "The authorized_keys file for --install (default: ~/.ssh/authorized_keys)" };
        var program = new Option<string?>("--program") { Description = "The tether the forced command runs (default: this one)" };
        var command = new Command("ssh-authorize", "Print (or --install) the authorized_keys line restricting an ssh key to tether shell")
            { keyFile, directory, readOnly, appendOnly, install, file, program };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            if (parsed.GetValue(readOnly) && parsed.GetValue(appendOnly)) throw new ArgumentException("--read-only and --append-only: choose one");
            var key = ReadPublicKey(Path.GetFullPath(parsed.GetValue(keyFile)!, ctx.CurrentDirectory));
            var folder = parsed.GetValue(directory) is { } d ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(d, ctx.CurrentDirectory)) : null;
            if (folder is not null && !Directory.Exists(folder)) throw new ArgumentException($"--directory {folder} does not exist: make it (or the repositories in it) first");
            var access = parsed.GetValue(readOnly) ? ShellAccess.ReadOnly : parsed.GetValue(appendOnly) ? ShellAccess.AppendOnly : ShellAccess.Full;
            var line = Line(parsed.GetValue(program) ?? DefaultProgram(), new ShellRestrictions(folder, access), key);
            await ctx.Out.WriteLineAsync(line);
            if (!parsed.GetValue(install)) return ExitCodes.Success;
            var target = parsed.GetValue(file) is { } f ? Path.GetFullPath(f, ctx.CurrentDirectory)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "authorized_keys");
            Install(target, line, key);
            await ctx.Out.WriteLineAsync($"appended to {target}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The authorized_keys line: <c>command="…",restrict TYPE BLOB [COMMENT]</c>.</summary>
    public static string Line(string program, ShellRestrictions restrictions, string key)
    {
        var words = new List<string> { program, "shell", "--forced" };
        words.AddRange(restrictions.AsOptions());
        // sshd hands the command to the user's shell (so each word is quoted for it); in the option, only '"' needs a backslash.
        var commandLine = string.Join(' ', words.Select(ShellQuote.ForDisplay)).Replace("\"", "\\\"", StringComparison.Ordinal);
        return $"command=\"{commandLine}\",restrict {key}";
    }

    /// <summary>This program when it is an installed tether, else <c>tether</c> from the PATH.</summary>
    private static string DefaultProgram() =>
        Environment.ProcessPath is { } path && Path.GetFileName(path) == "tether" ? path : "tether";

    /// <summary>The one public key in the file, as <c>TYPE BLOB [COMMENT]</c>.</summary>
    private static string ReadPublicKey(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"{path}: no such file (give the client's public key, e.g. ~/.ssh/id_ed25519.pub)");
        if (new FileInfo(path).Length > 64 * 1024) throw new ArgumentException($"{path} is too large to be a public key");
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        if (lines.Any(l => l.Contains("PRIVATE KEY", StringComparison.Ordinal)))
            throw new ArgumentException($"{path} is a private key: give the public one (the .pub file); keep the private key on the laptop");
        if (lines.Count != 1) throw new ArgumentException($"{path} holds {lines.Count} keys: give one public key");
        var fields = lines[0].Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !KeyTypes.Contains(fields[0]) || !IsBase64(fields[1]))
            throw new ArgumentException($"{path}:1 is not an OpenSSH public key (TYPE BASE64 [COMMENT], TYPE one of {string.Join(", ", KeyTypes)}); options in front of it are not taken");
        var comment = fields.Length == 3 ? " " + new string(fields[2].Where(c => !char.IsControl(c)).ToArray()) : "";
        return $"{fields[0]} {fields[1]}{comment}";
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }

    private static void Install(string target, string line, string key)
    {
        var blob = key.Split(' ')[1];
        if (File.Exists(target))
        {
            var existing = File.ReadAllLines(target);
            for (var i = 0; i < existing.Length; i++)
                if (existing[i].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Contains(blob))
                    throw new ArgumentException($"{target}:{i + 1} already authorizes this key; sshd uses the first line that matches, " +
                                                "so remove that line first (nothing was changed)");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var needsNewline = File.Exists(target) && new FileInfo(target).Length > 0 && !File.ReadAllText(target).EndsWith('\n');
        File.AppendAllText(target, (needsNewline ? "\n" : "") + line + "\n");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
