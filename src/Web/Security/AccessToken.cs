using System.Security.Cryptography;
using System.Text;

namespace Tether.Web.Security;

/// <summary>
/// The dashboard's secret: 32 random bytes in .git/tether/web-token, mode 0600 (in the 0700 state folder), made on the
/// first start and kept, so a bookmarked session survives restarts. Only its owner can read it, so only its owner can
/// drive the daemon through the dashboard.
/// </summary>
public sealed class AccessToken
{
    public const string FileName = "web-token";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly byte[] _bytes;

    private AccessToken(string value)
    {
        Value = value;
        _bytes = Encoding.ASCII.GetBytes(value);
    }

    public string Value { get; }

    public static string PathIn(string stateDir) => Path.Combine(stateDir, FileName);

    /// <summary>Reads the token, making it first if there is none (or the file is not one of ours); the file is left 0600.</summary>
    public static AccessToken LoadOrCreate(string stateDir)
    {
        Directory.CreateDirectory(stateDir);
        var path = PathIn(stateDir);
        if (Read(path) is { } existing)
        {
            File.SetUnixFileMode(path, OwnerOnly); // a copy restored with a wider mode is narrowed again
            return new AccessToken(existing);
        }
        var value = Base64Url(RandomNumberGenerator.GetBytes(32));
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions
               { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
            stream.Write(Encoding.ASCII.GetBytes(value + "\n"));
        File.Move(temporary, path, overwrite: true);
        return new AccessToken(value);
    }

    /// <summary>The token in the file, or null when there is none (or it is not a token: wrong length or characters).</summary>
    public static string? Read(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length > 256) return null;
        var text = File.ReadAllText(path).Trim();
        return text.Length == 43 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? text : null;
    }

    /// <summary>Constant-time comparison, so timing tells nothing about the secret.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_bytes, Encoding.ASCII.GetBytes(candidate));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
