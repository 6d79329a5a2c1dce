using System.Text;

namespace Tether.Plugins.External;

/// <summary>
/// GETCREDS/SETCREDS as git-annex keeps them for a remote without encryption: a local file
/// <c>.git/annex/creds/&lt;uuid&gt;-&lt;setting&gt;</c> holding "user\npassword\n", mode 0600; never the git-annex branch.
/// Creds a git-annex user embedded in remote.log (<c>embedcreds=yes</c>: the setting's value, base64 of
/// "user\npassword") are read, never written.
/// </summary>
internal sealed class RemoteCredentials(string? gitDirectory, string? uuid, Func<string, string?> setting)
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>The user and password stored for <paramref name="name"/>, or two empty strings.</summary>
    public (string User, string Password) Read(string name)
    {
        if (FileFor(name) is { } file && File.Exists(file))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is not null || info.Length > MaxBytes) throw new IOException($"{file}: not a plain credentials file (a link, or over {MaxBytes} bytes); refused");
            return Split(File.ReadAllText(file));
        }
        if (setting(name) is { Length: > 0 } embedded)
        {
            try { return Split(Encoding.UTF8.GetString(Convert.FromBase64String(embedded))); }
            catch (FormatException) { }
        }
        return ("", "");
    }

    public void Write(string name, string user, string password)
    {
        var file = FileFor(name) ?? throw new IOException("no repository to keep the credentials in");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        {
            stream.Write(Encoding.UTF8.GetBytes($"{user}\n{password}\n"));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, file, overwrite: true);
    }

    /// <summary>The creds file for a setting name, or null when the name could leave the folder (or there is no repository).</summary>
    private string? FileFor(string name)
    {
        if (gitDirectory is null || uuid is null) return null;
        if (name.Length == 0 || name.StartsWith('.') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw new IOException($"'{ProtocolLine.Printable(name)}' is no credentials setting name (letters, digits, '_', '-', '.')");
        return Path.Combine(gitDirectory, "annex", "creds", $"{uuid}-{name}");
    }

    private static (string, string) Split(string text)
    {
        var lines = text.Split('\n');
        return (lines[0], lines.Length > 1 ? lines[1] : "");
    }
}
