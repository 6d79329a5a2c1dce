using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Content;
using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers;
using Tether.Kernel.Transfers.Records;
using Tether.Platform.Protocol;
using Tether.Sdk.Keys;
using Tether.Platform.Hashing;

namespace Tether.Kernel.Shell;

/// <summary>
/// The remote side of the ssh backend: `tether shell PATH` serves one repository's content over stdin/stdout,
/// as git-annex-shell does for git-annex. One request per line, one reply per request (docs/PLUGINS.md):
/// <code>
///   (greeting)               TETHER-SHELL 1
///   CONFIGLIST               OK &lt;uuid&gt;
///   HAVE &lt;key&gt;               OK 1 | OK 0
///   STORE &lt;key&gt; &lt;size&gt;       OK &lt;offset&gt;, then the client sends size-offset bytes, then OK | ERROR &lt;why&gt;
///                            (a size other than the key's is refused before any byte is read)
///   RETRIEVE &lt;key&gt; &lt;offset&gt;  OK &lt;count&gt;, then count bytes
///   REMOVE &lt;key&gt;             OK, only when numcopies other copies are verified, as `tether drop` here
///   ACCESS                   OK full | OK append-only | OK read-only (what this key may change)
///   NOTIFY                   OK, then CHANGED whenever a branch here moves, PING while nothing does, until the client
///                            closes its end (<see cref="RefChangeNotifier"/>); the session then serves nothing else
///   QUIT                     (end)
/// </code>
/// A read-only session refuses STORE and REMOVE; an append-only one refuses REMOVE.
/// Any failure answers <c>ERROR &lt;message&gt;</c> and the session goes on. Every transfer holds the remote's
/// own git-annex transfer record (so a daemon there sees it); stored content is verified before it enters the
/// object store, and the repository's location log is updated.
/// </summary>
/// <param name="drop">How REMOVE drops a key (as `tether drop` here: numcopies verified first); without it REMOVE is refused.</param>
/// <param name="access">What the client's key may change (`tether shell --forced --read-only | --append-only`).</param>
public sealed class ShellServer(AnnexRepository repo, string? peerUuid, Stream input, Stream output, TimeProvider clock, ILogger log,
    Func<Key, CancellationToken, Task<DropResult>>? drop = null, ShellAccess access = ShellAccess.Full)
{
    public const string Greeting = "TETHER-SHELL 1";

    /// <summary>How often NOTIFY says PING while nothing changes; the client takes a few missed ones for a lost connection.</summary>
    public static readonly TimeSpan NotifyHeartbeat = TimeSpan.FromSeconds(20);

    // The peer names folders in this side's transfer records: refused before anything is served unless it is one safe path component.
    private readonly string? _peerUuid = peerUuid is null || TransferId.IsValidUuid(peerUuid) ? peerUuid
        : throw new ArgumentException($"--peer-uuid '{peerUuid.ReplaceLineEndings(" ").Replace('\0', ' ')}' is not a repository UUID (it must be one path component); refused", nameof(peerUuid));
    private readonly LineProtocolReader _reader = new(input, blocking: true);
    private readonly ObjectStore _store = new(repo);
    private readonly TransferRecordStore _records = new(repo, clock, log);

    public async Task RunAsync(CancellationToken ct)
    {
        new StaleTmpFiles(repo, _records, log).Clean();
        await ReplyAsync(Greeting, ct);
        while (await _reader.ReadLineAsync(ct) is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            if (words[0] == "QUIT") break;
            if (words[0] == "NOTIFY")
            {
                await NotifyAsync(ct);
                break;
            }
            try
            {
                await HandleAsync(words, ct);
            }
            catch (Exception e) when (e is ProtocolException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
            {
                if (e is EndOfStreamException) throw; // the client went away mid-transfer: nothing more to say
                log.LogWarning("{Command} failed: {Message}", words[0], e.Message);
                await ReplyAsync("ERROR " + e.Message.ReplaceLineEndings(" "), ct);
            }
        }
    }

    private Task HandleAsync(string[] words, CancellationToken ct) => words[0] switch
    {
        "CONFIGLIST" => ReplyAsync("OK " + repo.RequireUuid(), ct),
        "HAVE" => ReplyAsync(_store.Contains(KeyArg(words, 1)) ? "OK 1" : "OK 0", ct),
        "STORE" when access == ShellAccess.ReadOnly => throw new ProtocolException($"STORE: refused: this key is read-only on {repo.DisplayPath}"),
        "STORE" => StoreAsync(KeyArg(words, 1), NumberArg(words, 2), ct),
        "RETRIEVE" => RetrieveAsync(KeyArg(words, 1), NumberArg(words, 2), ct),
        "REMOVE" when access != ShellAccess.Full =>
            throw new ProtocolException($"REMOVE: refused: this key is {access.Word()} on {repo.DisplayPath}: content is never removed through it"),
        "REMOVE" => RemoveAsync(KeyArg(words, 1), ct),
        "ACCESS" => ReplyAsync("OK " + access.Word(), ct),
        _ => throw new ProtocolException($"unknown request '{words[0]}' (known: CONFIGLIST, HAVE, STORE, RETRIEVE, REMOVE, ACCESS, NOTIFY, QUIT)"),
    };

    /// <summary>NOTIFY: reports branch changes until the client's end closes (or it sends anything: QUIT).</summary>
    private async Task NotifyAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // The reader blocks on stdin: on a thread of its own, so the notifier writes meanwhile.
        var clientGone = Task.Run(async () =>
        {
            try { await _reader.ReadLineAsync(stop.Token); }
            catch (IOException) { }
            finally { await stop.CancelAsync(); }
        }, CancellationToken.None);
        try
        {
            await new RefChangeNotifier(repo, NotifyHeartbeat, clock).RunAsync(ReplyAsync, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        catch (IOException e)
        {
            log.LogDebug("NOTIFY ended: {Message}", e.Message); // the client went away while we wrote
        }
        await stop.CancelAsync();
        if (clientGone.IsCompleted) await clientGone;
    }

    private async Task StoreAsync(Key key, long size, CancellationToken ct)
    {
        // Refused before a byte is read: the key's size is what its content is, so more is never written to annex/tmp.
        if (key.Size is { } expected && expected != size)
            throw new ProtocolException($"STORE {key}: {size} bytes announced, but the key's size is {expected}; refused");
        if (_store.Contains(key))
        {
            await ReplyAsync($"OK {size}", ct);
            await ReplyAsync("OK", ct);
            return;
        }
        var algorithm = KeyHasher.EnsureVerifiable(key); // before anything is received
        // Seen from this repository, the client's upload is a download from the client.
        using var record = Begin(TransferDirection.Download, key);
        repo.CreateFolderInGitDir(repo.TmpDir);
        var tmp = _store.TmpPathFor(key);
        var offset = File.Exists(tmp) ? Math.Min(new FileInfo(tmp).Length, size) : 0;
        await ReplyAsync($"OK {offset}", ct);
        try
        {
            await ReceiveVerifiedAsync(key, algorithm, tmp, offset, size, record, ct);
        }
        catch (EndOfStreamException) when (key.Size is not null)
        {
            throw; // the client went away: the partial (never longer than the key's size) is kept to resume
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
        _store.InstallVerified(key, tmp);
        await RecordLocationAsync(key, LocationStatus.Present, ct);
        record?.Complete();
        await ReplyAsync("OK", ct);
    }

    private async Task ReceiveVerifiedAsync(Key key, string? algorithm, string tmp, long offset, long size, ActiveTransfer? record, CancellationToken ct)
    {
        // Verified as it arrives: the hash is fed the kept prefix, then every byte received (no second read).
        using var hash = algorithm is null ? null : ContentHash.Create(algorithm);
        await using (var file = new FileStream(tmp, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 0))
        {
            file.SetLength(offset);
            if (hash is not null && offset > 0) await HashPrefixAsync(file, offset, hash, ct);
            file.Seek(offset, SeekOrigin.Begin);
            await _reader.CopyBytesAsync(file, size - offset, offset, record, ct, hash);
            file.Flush(flushToDisk: true);
        }
        var whole = new FileInfo(tmp).Length == size;
        if (!whole || hash is not null && !string.Equals(hash.HexAndReset(), key.HashHex, StringComparison.OrdinalIgnoreCase))
            throw new ProtocolException($"content received for {key} did not verify (changed while sent, or corrupt); discarded");
    }

    private static async Task HashPrefixAsync(FileStream file, long length, ContentHash hash, CancellationToken ct)
    {
        file.Seek(0, SeekOrigin.Begin);
        var buffer = new byte[1 << 20];
        var left = length;
        while (left > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
            if (read == 0) break;
            hash.Append(buffer, 0, read);
            left -= read;
        }
    }

    private async Task RetrieveAsync(Key key, long offset, CancellationToken ct)
    {
        if (!_store.Contains(key)) throw new ProtocolException($"{repo.DisplayPath} does not have {key}");
        using var record = Begin(TransferDirection.Upload, key);
        // A link planted in our object store is not followed, and no more than the announced count is ever sent.
        await using var file = _store.OpenContent(key, repo.DisplayPath, out var length);
        offset = Math.Min(offset, length);
        await ReplyAsync($"OK {length - offset}", ct);
        file.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[1 << 20];
        var done = offset;
        int read;
        while (done < length && (read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)), ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            done += read;
            record?.ReportBytes(done);
        }
        if (done < length) throw new EndOfStreamException($"{key} in {repo.DisplayPath} shrank while it was sent");
        await output.FlushAsync(ct);
        record?.Complete();
    }

    private async Task RemoveAsync(Key key, CancellationToken ct)
    {
        if (drop is null) throw new ProtocolException($"REMOVE {key}: refused: this side cannot verify numcopies; run 'tether drop' in {repo.DisplayPath}");
        DropResult result;
        try { result = await drop(key, ct); }
        catch (Exception e) when (e is not OperationCanceledException and not ProtocolException)
        {
            throw new ProtocolException($"REMOVE {key}: refused: {e.Message}");
        }
        if (!result.Dropped) throw new ProtocolException($"REMOVE {key}: refused: {result.Message}");
        await ReplyAsync("OK", ct);
    }

    /// <summary>The transfer's record here, named after the peer; null when the client did not say who it is.</summary>
    private ActiveTransfer? Begin(TransferDirection direction, Key key)
    {
        if (_peerUuid is null) return null;
        return _records.TryBegin(new TransferId(direction, _peerUuid, key), null)
            ?? throw new ProtocolException($"busy: another process on {repo.DisplayPath} is moving {key} with this peer right now; try again later");
    }

    private async Task RecordLocationAsync(Key key, LocationStatus status, CancellationToken ct)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        await branch.RecordLocationAsync(key, repo.RequireUuid(), status, ct);
        await branch.CommitAsync("update", ct);
    }

    private async Task ReplyAsync(string line, CancellationToken ct)
    {
        await output.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
        await output.FlushAsync(ct);
    }

    private static Key KeyArg(string[] words, int index) =>
        words.Length > index && Key.TryParse(words[index], out var key) ? key : throw new ProtocolException($"{words[0]}: '{(words.Length > index ? words[index] : "")}' is not a key");

    private static long NumberArg(string[] words, int index) =>
        words.Length > index && long.TryParse(words[index], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ProtocolException($"{words[0]}: expected a byte count as argument {index}");

    private sealed class ProtocolException(string message) : Exception(message);
}
