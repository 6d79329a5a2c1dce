using System.Text.RegularExpressions;

namespace Tether.Kernel.Configuration;

/// <summary>The backend and cost a remote gets when its config entry leaves them out.</summary>
public static partial class RemoteDefaults
{
    public const string LocalBackend = "local";
    public const string SshBackend = "ssh";

    /// <summary>
    /// "ssh" for ssh:// URLs and scp-like user@host:path, the scheme for other URLs
    /// (rsync://... gives "rsync", so a plugin backend can claim it), "local" for paths.
    /// </summary>
    public static string BackendFor(string url)
    {
        var scheme = UrlSchemePattern().Match(url);
        if (scheme.Success)
            return BackendForScheme(scheme.Groups["scheme"].Value.ToLowerInvariant());
        try { return Platform.Ssh.SshUrl.TryParse(url) is null ? LocalBackend : SshBackend; }
        catch (ArgumentException) { return SshBackend; } // host:path written wrong: still meant for ssh (the url's check says what is wrong)
    }

    public static int CostFor(string backend) => backend switch
    {
        "local" or "drive" or "usb" => 100,
        _ => 200,
    };

    private static string BackendForScheme(string scheme)
    {
        if (scheme == "file")
            return LocalBackend;
        if (scheme.Contains("ssh", StringComparison.Ordinal))
            return SshBackend;
        return BackendNamePattern().IsMatch(scheme) ? scheme : LocalBackend;
    }

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex UrlSchemePattern();

    [GeneratedRegex(@"^[a-z0-9-]+$")]
    internal static partial Regex BackendNamePattern();
}
