using System.Collections.Concurrent;
using System.Globalization;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Plugins.External;

/// <summary>
/// A git-annex external special remote (<c>git-annex-remote-NAME</c> on PATH) as a content backend: CHECKPRESENT,
/// TRANSFER STORE/RETRIEVE with PROGRESS, REMOVE, and the one-time INITREMOTE, through a pool of prepared helper
/// processes (or one process running parallel jobs, when the helper speaks ASYNC). Keys go to the helper as keys (it
/// picks where they live, e.g. rclone's <c>prefix/abc/def/KEY</c>), so what git-annex stored through the same helper is
/// found, and the reverse.
/// </summary>
public sealed class ExternalBackend : IContentBackend, IWhereisBackend
{
    private static readonly string[] CheckReplies = ["CHECKPRESENT-SUCCESS", "CHECKPRESENT-FAILURE", "CHECKPRESENT-UNKNOWN"];
    private static readonly string[] RemoveReplies = ["REMOVE-SUCCESS", "REMOVE-FAILURE"];
    private static readonly string[] TransferReplies = ["TRANSFER-SUCCESS", "TRANSFER-FAILURE"];

    private readonly RemoteDescriptor _remote;
    private readonly HelperOptions _options;
    private readonly HelperRequests _requests;
    private readonly HelperPool _pool;
    private readonly PendingStores _pending;
    private readonly string? _workingDirectory;

    internal ExternalBackend(RemoteDescriptor remote, HelperOptions options)
    {
        _remote = remote;
        _options = options;
        var config = new ConcurrentDictionary<string, string>(remote.Settings, StringComparer.Ordinal);
        config.TryAdd("externaltype", options.ExternalType);
        _requests = new HelperRequests(options, remote, config, new RemoteCredentials(remote.GitDirectory, remote.Uuid, name => config.GetValueOrDefault(name)));
        _pending = new PendingStores(remote.GitDirectory, remote.Uuid);
        _workingDirectory = WorkingDirectoryFor(remote.GitDirectory);
        _pool = new HelperPool(options, StartPreparedAsync);
    }

    /// <summary>Helper processes started so far (one per parallel slot, or one for all with ASYNC; kept for many requests).</summary>
    public int ProcessesStarted => _pool.Started;

    public async Task<bool> HasKeyAsync(Key key, CancellationToken ct)
    {
        var keyText = Checked(key);
        var (present, why) = await PresenceAsync(key, keyText, ct);
        return present ?? throw new ExternalRemoteException($"{_options.Describe}: cannot tell whether it has {keyText}: {why}");
    }

    /// <summary>CHECKPRESENT: true, false, or null with the helper's reason when it cannot tell (CHECKPRESENT-UNKNOWN).</summary>
    private async Task<(bool? Present, string? Why)> PresenceAsync(Key key, string keyText, CancellationToken ct)
    {
        if (_pending.IsPending(key)) await RemoveLeftoverAsync(key, ct);
        var reply = await _pool.UseAsync(j => j.RequestAsync($"CHECKPRESENT {keyText}", CheckReplies, ct), ct);
        EnsureSameKey(reply, keyText, "CHECKPRESENT");
        switch (reply.Command)
        {
            case "CHECKPRESENT-SUCCESS": return (true, null);
            case "CHECKPRESENT-FAILURE": return (false, null);
            default: return (null, Message(reply, 2));
        }
    }

    public async Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        var keyText = Checked(key);
        var length = new FileInfo(sourceFile).Length;
        // No CHECKPRESENT here: the kernel asked already (one round trip per key, as git-annex makes), and storing a key
        // again is harmless. What a cut-short upload may have left is removed first.
        if (_pending.IsPending(key)) await RemoveLeftoverAsync(key, ct);
        await using var staged = StagedSource.For(sourceFile, key, _remote.GitDirectory);
        var file = FileArgument(staged.Path, keyText);
        _pending.Mark(key);
        await TransferAsync("STORE", keyText, file, bytesDone, growingFile: null, ct);
        _pending.Clear(key);
        bytesDone.Report(length);
    }

    public async Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        var keyText = Checked(key);
        var file = FileArgument(destinationFile, keyText);
        await TransferAsync("RETRIEVE", keyText, file, bytesDone, destinationFile, ct);
        if (!File.Exists(destinationFile))
            throw new ExternalRemoteException($"{_options.Describe}: TRANSFER RETRIEVE {keyText}: the helper said it succeeded, but wrote no file");
        bytesDone.Report(new FileInfo(destinationFile).Length);
    }

    public async Task RemoveAsync(Key key, CancellationToken ct)
    {
        var keyText = Checked(key);
        var reply = await _pool.UseAsync(j => j.RequestAsync($"REMOVE {keyText}", RemoveReplies, ct), ct);
        EnsureSameKey(reply, keyText, "REMOVE");
        if (reply.Command == "REMOVE-FAILURE") throw new ExternalRemoteException($"{_options.Describe}: could not remove {keyText}: {Message(reply, 2)}");
        _pending.Clear(key);
    }

    /// <summary>What the helper says about where a key is, for whereis (WHEREIS-SUCCESS); null when it knows nothing more.</summary>
    public async Task<string?> WhereisAsync(Key key, CancellationToken ct)
    {
        var keyText = Checked(key);
        var reply = await _pool.UseAsync(j => j.RequestAsync($"WHEREIS {keyText}", ["WHEREIS-SUCCESS", "WHEREIS-FAILURE", "UNSUPPORTED-REQUEST"], ct), ct);
        return reply.Command == "WHEREIS-SUCCESS" && reply.Rest.Length > 0 ? ProtocolLine.Printable(reply.Rest) : null;
    }

    /// <summary>INITREMOTE on a fresh process, then PREPARE, GETCOST and GETAVAILABILITY on another (as git-annex's initremote does).</summary>
    internal async Task<RemoteSetup> InitializeAsync(CancellationToken ct)
    {
        await using (var session = await HelperSession.StartAsync(_options, _requests, _workingDirectory, ct))
        {
            var job = await session.OpenJobAsync("INITREMOTE");
            var reply = await job.RequestAsync("INITREMOTE", ["INITREMOTE-SUCCESS", "INITREMOTE-FAILURE"], ct);
            if (reply.Command == "INITREMOTE-FAILURE")
                throw new ExternalRemoteException($"{_options.Describe}: INITREMOTE failed: {Message(reply, 1, await session.StderrTailAsync())}");
            await job.CloseAsync();
        }
        int? cost = null;
        var localOnly = false;
        await _pool.UseAsync(async job =>
        {
            var costReply = await job.RequestAsync("GETCOST", ["COST", "UNSUPPORTED-REQUEST"], ct);
            if (costReply.Command == "COST")
                cost = int.TryParse(costReply.Rest, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var c) && c is >= 0 and <= 100_000
                    ? c : throw new ExternalRemoteException($"{_options.Describe}: GETCOST: '{ProtocolLine.Printable(costReply.Rest)}' is no cost");
            var availability = await job.RequestAsync("GETAVAILABILITY", ["AVAILABILITY", "UNSUPPORTED-REQUEST"], ct);
            localOnly = availability is { Command: "AVAILABILITY", Rest: "LOCAL" };
            return true;
        }, ct);
        var settings = _requests.Config.Where(s => !s.Key.StartsWith(HelperOptions.LocalSettingPrefix, StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        return new RemoteSetup(settings) { Cost = cost, LocalOnly = localOnly };
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    private async Task TransferAsync(string direction, string keyText, string file, IProgress<long> bytesDone, string? growingFile, CancellationToken ct)
    {
        var during = $"TRANSFER {direction} {keyText}";
        await _pool.UseAsync(async job =>
        {
            var reply = await job.TransferAsync($"{during} {file}", during, TransferReplies, bytesDone, growingFile, ct);
            var words = reply.Rest.Split(' ', 3);
            if (words.Length < 2 || words[0] != direction || words[1] != keyText)
                throw new ExternalRemoteException($"{_options.Describe}: {during}: the reply '{ProtocolLine.Printable(reply.ToString())}' is about another transfer");
            if (reply.Command == "TRANSFER-FAILURE")
                throw new ExternalRemoteException($"{_options.Describe}: {during} failed: {Message(reply, 3, await job.StderrTailAsync())}");
            return true;
        }, ct);
    }

    /// <summary>An upload that was cut short may have left part of the key on the remote: removed before the key is looked at again.</summary>
    private async Task RemoveLeftoverAsync(Key key, CancellationToken ct)
    {
        _requests.Log(BackendLogLevel.Debug, $"an upload of {key} was cut short: removing what it may have left before checking or storing again");
        await RemoveAsync(key, ct);
    }

    private async Task<HelperSession> StartPreparedAsync(CancellationToken ct)
    {
        var session = await HelperSession.StartAsync(_options, _requests, _workingDirectory, ct);
        try
        {
            // With ASYNC, PREPARE is job 1's first request (git-annex: once per process, for every job).
            var job = await session.OpenJobAsync("PREPARE");
            var reply = await job.RequestAsync("PREPARE", ["PREPARE-SUCCESS", "PREPARE-FAILURE"], ct);
            if (reply.Command == "PREPARE-FAILURE")
                throw new ExternalRemoteException($"{_options.Describe}: not ready (PREPARE failed): {Message(reply, 1, await session.StderrTailAsync())}");
            await job.CloseAsync();
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>The key as the protocol carries it: a key with whitespace cannot be sent (parameters are split on spaces).</summary>
    private string Checked(Key key)
    {
        var text = key.ToString();
        if (text.Any(char.IsWhiteSpace) || text.Any(char.IsControl))
            throw new ExternalRemoteException($"{_options.Describe}: the key '{ProtocolLine.Printable(text)}' holds whitespace, which the external remote protocol cannot carry");
        return text;
    }

    /// <summary>
    /// The file as the helper is told it: relative to the repository's top (as git-annex passes it) when it is inside, else
    /// absolute. Helpers split lines on whitespace (git-annex-remote-rclone does), so a path with any is refused.
    /// </summary>
    private string FileArgument(string path, string keyText)
    {
        var full = Path.GetFullPath(path);
        var file = _workingDirectory is not null && Path.GetRelativePath(_workingDirectory, full) is var relative
                   && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative) ? relative : full;
        if (file.Any(char.IsWhiteSpace) || file.Any(char.IsControl))
            throw new ExternalRemoteException($"{_options.Describe}: cannot hand {keyText} to the helper: its file '{ProtocolLine.Printable(file)}' holds whitespace, which helpers split on");
        return file;
    }

    /// <summary>The key a reply names must be the one asked about.</summary>
    private void EnsureSameKey(ProtocolLine reply, string keyText, string request)
    {
        if (reply.Rest.Split(' ', 2)[0] == keyText) return;
        throw new ExternalRemoteException($"{_options.Describe}: {request} {keyText}: the reply '{ProtocolLine.Printable(reply.ToString())}' is about another key");
    }

    private static string Message(ProtocolLine reply, int position, string? stderr = null)
    {
        var parts = reply.Rest.Split(' ', position);
        var message = parts.Length == position ? parts[^1] : "";
        if (message.Length > 0) return ProtocolLine.Printable(message);
        return string.IsNullOrEmpty(stderr) ? "no reason given" : $"no reason given; its stderr: {stderr}";
    }

    /// <summary>The helper runs at the repository's top, as git-annex runs it: the work tree, or a bare repository's folder.</summary>
    private static string? WorkingDirectoryFor(string? gitDirectory)
    {
        if (gitDirectory is null) return null;
        var trimmed = Path.TrimEndingDirectorySeparator(gitDirectory);
        return Path.GetFileName(trimmed) == ".git" ? Path.GetDirectoryName(trimmed) : trimmed;
    }
}
