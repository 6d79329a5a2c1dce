using System.Collections.Concurrent;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Plugins.External;

/// <summary>
/// Answers what a helper asks while it handles a request (the protocol's "special remote messages"): configuration,
/// credentials, the UUID and git directory, hash directories, per-key state and URLs, log lines. One per backend,
/// shared by its helper processes. A malformed message is a protocol error (the helper's process is dropped).
/// </summary>
internal sealed class HelperRequests(HelperOptions options, RemoteDescriptor remote, ConcurrentDictionary<string, string> config, RemoteCredentials credentials)
{
    /// <summary>The messages a helper may send while it is in control; anything else must be a reply to the request.</summary>
    public static readonly IReadOnlySet<string> Messages = new HashSet<string>(StringComparer.Ordinal)
    {
        "PROGRESS", "DIRHASH", "DIRHASH-LOWER", "SETCONFIG", "GETCONFIG", "SETCREDS", "GETCREDS", "GETUUID", "GETGITDIR",
        "GETGITREMOTENAME", "SETWANTED", "GETWANTED", "SETSTATE", "GETSTATE", "SETURLPRESENT", "SETURLMISSING",
        "SETURIPRESENT", "SETURIMISSING", "GETURLS", "DEBUG", "INFO", "ERROR", "VERSION",
    };

    /// <summary>The settings as they stand, SETCONFIG included (what INITREMOTE leaves to record).</summary>
    public IReadOnlyDictionary<string, string> Config => config;

    /// <summary>The lines to send back (none for messages git-annex does not answer). PROGRESS, ERROR and VERSION are the session's.</summary>
    /// <exception cref="HelperProtocolException">The message is malformed.</exception>
    public async Task<IReadOnlyList<string>> AnswerAsync(ProtocolLine message, string during, CancellationToken ct)
    {
        switch (message.Command)
        {
            case "GETCONFIG": return [Value(config.GetValueOrDefault(Words(message, 1, during)[0], ""))];
            case "SETCONFIG":
            {
                var words = Words(message, 2, during);
                if (words[0].Length == 0 || words[0].Contains('=')) throw Malformed(message, during);
                config[words[0]] = words[1];
                return [];
            }
            case "GETCREDS":
            {
                var (user, password) = Guard(() => credentials.Read(Words(message, 1, during)[0]), message, during);
                return [$"CREDS {user} {password}"];
            }
            case "SETCREDS":
            {
                var words = Words(message, 3, during);
                Guard(() => { credentials.Write(words[0], words[1], words[2]); return true; }, message, during);
                return [];
            }
            case "GETUUID": return [Value(remote.Uuid ?? "")];
            case "GETGITDIR": return [Value(remote.GitDirectory ?? "")];
            case "GETGITREMOTENAME": return [Value(remote.Name)];
            case "DIRHASH": return [Value(HashDirs.Mixed(KeyOf(Words(message, 1, during)[0], message, during)))];
            case "DIRHASH-LOWER": return [Value(HashDirs.Lower(KeyOf(Words(message, 1, during)[0], message, during)))];
            case "SETWANTED":
                Log(BackendLogLevel.Debug, $"asked to set its preferred content to '{ProtocolLine.Printable(message.Rest)}': ignored (set 'wants' in the config)");
                return [];
            case "GETWANTED": return [Value("")];
            case "GETSTATE":
                return [Value(await HostOf(message, during).GetStateAsync(KeyOf(Words(message, 1, during)[0], message, during), ct) ?? "")];
            case "SETSTATE":
            {
                var words = Words(message, 2, during);
                await HostOf(message, during).SetStateAsync(KeyOf(words[0], message, during), words[1], ct);
                return [];
            }
            case "SETURLPRESENT" or "SETURLMISSING" or "SETURIPRESENT" or "SETURIMISSING":
            {
                var words = Words(message, 2, during);
                if (words[1].Length == 0) throw Malformed(message, during);
                var url = message.Command.StartsWith("SETURI", StringComparison.Ordinal) ? ":" + words[1] : words[1]; // git-annex's "other downloader" mark
                await HostOf(message, during).SetUrlAsync(KeyOf(words[0], message, during), url, message.Command.EndsWith("PRESENT", StringComparison.Ordinal), ct);
                return [];
            }
            case "GETURLS":
            {
                var words = Words(message, 2, during);
                var urls = remote.Host is { } host ? await host.GetUrlsAsync(KeyOf(words[0], message, during), ct) : [];
                return [.. urls.Select(u => u.StartsWith(':') ? u[1..] : u).Where(u => u.StartsWith(words[1], StringComparison.Ordinal)).Select(Value), Value("")];
            }
            case "DEBUG": Log(BackendLogLevel.Debug, message.Rest); return [];
            case "INFO": Log(BackendLogLevel.Information, message.Rest); return [];
            default: throw Malformed(message, during);
        }
    }

    public void Log(BackendLogLevel level, string text) => remote.Host?.Log(level, $"{options.Describe}: {ProtocolLine.Printable(text)}");

    private static string Value(string value) => "VALUE " + value;

    private string[] Words(ProtocolLine message, int count, string during) => message.Parameters(count) ?? throw Malformed(message, during);

    private Key KeyOf(string text, ProtocolLine message, string during) =>
        Key.TryParse(text, out var key) ? key : throw new HelperProtocolException($"{options.Describe}: during {during}: '{ProtocolLine.Printable(message.ToString())}' names no valid key");

    private IBackendHost HostOf(ProtocolLine message, string during) =>
        remote.Host ?? throw new HelperProtocolException($"{options.Describe}: during {during}: {message.Command} needs the repository's git-annex branch, which this use of the remote does not have");

    private T Guard<T>(Func<T> action, ProtocolLine message, string during)
    {
        try { return action(); }
        catch (IOException e) { throw new HelperProtocolException($"{options.Describe}: during {during}: {message.Command}: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new HelperProtocolException($"{options.Describe}: during {during}: {message.Command}: {e.Message}", e); }
    }

    private HelperProtocolException Malformed(ProtocolLine message, string during) =>
        new($"{options.Describe}: during {during}: malformed message '{ProtocolLine.Printable(message.ToString())}'");
}
