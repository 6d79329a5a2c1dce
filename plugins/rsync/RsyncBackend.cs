using System.Globalization;
using Tether.Platform.Processes;
using Tether.Platform.Quoting;
using Tether.Platform.Ssh;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Plugins.Rsync;

/// <summary>
/// Content in git-annex's rsync special remote layout (Remote/Rsync.hs): <c>ROOT/&lt;hashdirlower&gt;/KEY/KEY</c>
/// (the mixed layout is read too, as git-annex does). Uploads go to <c>ROOT/tether-tmp/KEY</c> with
/// <c>--partial --append-verify</c> (an interrupted upload resumes and is verified; never <c>--append</c>, which can
/// keep corrupt bytes) and are renamed into place only when whole, so a partial upload is never visible as the key.
/// </summary>
public sealed class RsyncBackend(RemoteDescriptor remote, RsyncLocation location) : IResumableBackend
{
    public const string TempFolder = "tether-tmp";
    private const string MissingRsync = "rsync is not installed: install it with 'apt-get install rsync' (the package 'rsync')";
    private const string MissingSsh = "ssh is not installed: install it with 'apt-get install openssh-client'";

    /// <summary>rsync's exit codes for "some files were not transferred" (here: the key is not on the remote).</summary>
    private static readonly int[] NotThere = [23];

    /// <summary>Bytes rsync sent over the last content transfer (its --stats), so a resumed transfer can be measured.</summary>
    public long? LastBytesSent { get; private set; }

    public async Task<bool> HasKeyAsync(Key key, CancellationToken ct)
    {
        foreach (var relative in ContentPaths(key))
        {
            if (location.IsLocal)
            {
                if (File.Exists(location.Argument(relative))) return true;
                continue;
            }
            var result = await RsyncAsync(["--list-only", location.Argument(relative)], null, ct, allowed: NotThere);
            if (result.ExitCode == 0) return true;
        }
        return false;
    }

    public async Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        if (await HasKeyAsync(key, ct)) { bytesDone.Report(new FileInfo(sourceFile).Length); return; }
        var keyFile = KeyFileName.Escape(key);
        var temp = $"{TempFolder}/{keyFile}";
        var final = ContentPaths(key)[0];
        if (location.IsLocal) Directory.CreateDirectory(Path.Combine(location.Root, TempFolder));
        await RsyncAsync(["--partial", "--append-verify", "--mkpath", "--chmod=F0444", .. Limit(), sourceFile, location.Argument(temp)], bytesDone, ct);
        if (location.IsLocal)
        {
            var target = location.Argument(final);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(location.Argument(temp), target, overwrite: true);
        }
        else
        {
            var dir = location.Join(final[..final.LastIndexOf('/')]);
            await SshAsync(["mkdir", "-p", "--", dir, "&&", "mv", "-f", "--", location.Join(temp), location.Join(final)], ct, quoteAll: false);
        }
    }

    public async Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        foreach (var relative in ContentPaths(key))
        {
            if (location.IsLocal && !File.Exists(location.Argument(relative))) continue;
            var result = await RsyncAsync(["--partial", "--append-verify", .. Limit(), location.Argument(relative), destinationFile], bytesDone, ct,
                allowed: location.IsLocal ? [] : NotThere);
            if (result.ExitCode == 0) return;
        }
        throw new FileNotFoundException($"{remote.Name} ({remote.Url}) does not have {key}");
    }

    public async Task RemoveAsync(Key key, CancellationToken ct)
    {
        foreach (var relative in ContentPaths(key))
        {
            var keyDir = relative[..relative.LastIndexOf('/')];
            if (location.IsLocal)
            {
                var dir = location.Argument(keyDir);
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
            else
            {
                await SshAsync(["rm", "-rf", "--", location.Join(keyDir)], ct);
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The layouts git-annex's rsync remote uses: lower first (where it stores), then mixed.</summary>
    private static string[] ContentPaths(Key key)
    {
        var keyFile = KeyFileName.Escape(key);
        return [$"{HashDirs.Lower(key)}{keyFile}/{keyFile}", $"{HashDirs.Mixed(key)}{keyFile}/{keyFile}"];
    }

    private string[] Limit() =>
        remote.BandwidthLimit is { } bytes ? [$"--bwlimit={Math.Max(1, bytes / 1024).ToString(CultureInfo.InvariantCulture)}"] : [];

    private async Task<ProcessResult> RsyncAsync(string[] args, IProgress<long>? progress, CancellationToken ct, int[]? allowed = null)
    {
        var all = new List<string>();
        if (!location.IsLocal) all.AddRange(["-e", SshCommandLine.ForRsync(location.Port)]);
        if (progress is not null) all.AddRange(["--info=progress2", "--no-h", "--stats"]);
        all.AddRange(args);
        var parser = progress is null ? null : new RsyncProgress(progress);
        var result = await ProcessRunner.RunAsync(Spec("rsync", all, MissingRsync) with { OnStandardOutput = parser is null ? null : parser.Feed }, ct);
        parser?.Flush();
        if (parser is not null) LastBytesSent = parser.BytesSent;
        if (result.ExitCode is { } code && (code == 0 || (allowed ?? []).Contains(code))) return result;
        throw new IOException(await DescribeAsync(result, ct));
    }

    private async Task SshAsync(IEnumerable<string> words, CancellationToken ct, bool quoteAll = true)
    {
        var command = string.Join(' ', words.Select(w => !quoteAll && w == "&&" ? w : ShellQuote.Quote(w)));
        var result = await ProcessRunner.RunAsync(Spec("ssh", [.. SshCommandLine.Options(location.Port), location.Host!, command], MissingSsh), ct);
        if (result.ExitCode != 0)
            throw new IOException(result.ExitCode == 255 ? await SshFailure.ExplainAsync(location.Host!, location.Port, result.Stderr, ct) : $"{remote.Name}: '{command}' failed: {result.Stderr.Trim()}");
    }

    /// <summary>rsync and ssh in the C locale, so their messages are the ones matched here.</summary>
    private static ProcessSpec Spec(string program, IReadOnlyList<string> args, string missingHint) =>
        new(program, args) { Environment = new Dictionary<string, string> { ["LC_ALL"] = "C" }, MissingHint = missingHint };

    private async Task<string> DescribeAsync(ProcessResult result, CancellationToken ct)
    {
        if (!location.IsLocal && (result.ExitCode == 255 || result.Stderr.Contains("Host key verification failed", StringComparison.Ordinal)
                                  || result.Stderr.Contains("Permission denied", StringComparison.Ordinal)))
            return $"{remote.Name}: " + await SshFailure.ExplainAsync(location.Host!, location.Port, result.Stderr, ct);
        if (result.ExitCode == 20) return $"{remote.Name}: rsync was interrupted (a partial file is kept; the next try resumes)";
        return $"{remote.Name}: rsync failed (exit {result.ExitCode}): {result.Stderr.Trim()}";
    }
}
