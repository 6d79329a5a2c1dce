using System.Globalization;
using Tether.Platform.Processes;
using Tether.Platform.Quoting;
using Tether.Platform.Ssh;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Plugins.Rsync;

/// <summary>
/// Content in git-annex's rsync special remote layout (Remote/Rsync.hs): <c>ROOT/&lt;hashdirlower&gt;/KEY/KEY</c>
/// (the mixed layout is read too, as git-annex does). Uploads go to <c>ROOT/tether-tmp/KEY.NODE-UUID</c> with
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

    /// <summary>Only a regular file of the key's size counts: a symlink, FIFO, device or folder at the key's path is no copy.</summary>
    public async Task<bool> HasKeyAsync(Key key, CancellationToken ct)
    {
        foreach (var relative in ContentPaths(key))
            if (await InspectAsync(key, relative, ct) is { Present: true, Refusal: null }) return true;
        return false;
    }

    public async Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        if (await HasKeyAsync(key, ct)) { bytesDone.Report(new FileInfo(sourceFile).Length); return; }
        var temp = TempPath(key);
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

    /// <summary>
    /// rsync is never given -L/--copy-links (nor -l, -D, -r): a symlink, FIFO, device or folder at the source is skipped by
    /// rsync itself, and it is checked for before; --max-size bounds the read by the key's size, and what arrived is
    /// checked to be that size (rsync exits 0 after skipping), so a swap under us ends in a refusal, never a hang.
    /// </summary>
    public async Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        string? refusal = null;
        foreach (var relative in ContentPaths(key))
        {
            var found = await InspectAsync(key, relative, ct);
            if (!found.Present) continue;
            if (found.Refusal is not null) { refusal ??= found.Refusal; continue; }
            string[] bound = key.Size is { } size ? [$"--max-size={size.ToString(CultureInfo.InvariantCulture)}"] : [];
            var result = await RsyncAsync(["--partial", "--append-verify", .. bound, .. Limit(), location.Argument(relative), destinationFile], bytesDone, ct,
                allowed: location.IsLocal ? [] : NotThere);
            if (result.ExitCode != 0) continue;
            if (File.Exists(destinationFile) && (key.Size is null || new FileInfo(destinationFile).Length == key.Size)) return;
            refusal ??= $"{remote.Name} ({remote.Url}): the object of {key} did not arrive whole (replaced by a non-regular or larger file while sent?); refused";
        }
        throw refusal is null ? new FileNotFoundException($"{remote.Name} ({remote.Url}) does not have {key}") : new IOException(refusal);
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

    private readonly record struct Inspection(bool Present, string? Refusal);

    /// <summary>What is at the key's path, as rsync lists it (a symlink is listed as one, not followed): not there, a
    /// regular file of the key's size, or something refused, with the reason naming the key and the remote.</summary>
    private async Task<Inspection> InspectAsync(Key key, string relative, CancellationToken ct)
    {
        var where = $"{remote.Name} ({remote.Url})";
        if (location.IsLocal && LinkOnTheWay(relative) is { } link)
            return new(true, $"{where}: the path of {key} goes through '{link}', a symbolic link; not followed");
        var result = await RsyncAsync(["--list-only", "--no-h", location.Argument(relative)], null, ct, allowed: NotThere);
        var words = result.ExitCode == 0 ? result.Stdout.Split((char[])[' ', '\n'], 3, StringSplitOptions.RemoveEmptyEntries) : [];
        if (words.Length < 2) return new(false, null);
        if (!words[0].StartsWith('-'))
            return new(true, $"{where}: the object of {key} is {TypeName(words[0][0])}, not a regular file; refused");
        if (key.Size is { } size && long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length != size)
            return new(true, $"{where}: the object of {key} is {length} bytes, but the key says {size}; refused");
        return new(true, null);
    }

    /// <summary>The first folder below the root on the way to <paramref name="relative"/> that is a symlink (local roots only).</summary>
    private string? LinkOnTheWay(string relative)
    {
        var path = location.Root;
        foreach (var folder in relative.Split('/')[..^1])
        {
            path = Path.Combine(path, folder);
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null) return path;
            if (!info.Exists) return null;
        }
        return null;
    }

    private static string TypeName(char type) => type switch
    {
        'l' => "a symbolic link",
        'd' => "a folder",
        'p' => "a named pipe (FIFO)",
        'c' => "a character device",
        'b' => "a block device",
        's' => "a socket",
        _ => "a special file",
    };

    /// <summary>
    /// Where an upload waits until it is whole: named for this node too (its annex UUID), so two nodes storing one key at
    /// once (the manifest of a remote carrying git; a key both encrypt, whose bytes then differ) never append into one file
    /// or move it from under each other, and a node's interrupted upload still resumes from its own partial.
    /// </summary>
    private string TempPath(Key key)
    {
        var keyFile = KeyFileName.Escape(key);
        return Guid.TryParse(remote.LocalUuid, out var node) ? $"{TempFolder}/{keyFile}.{node:D}" : $"{TempFolder}/{keyFile}";
    }

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
