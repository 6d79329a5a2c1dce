using System.Diagnostics;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.Plugins.Ssh;

/// <summary>
/// Content of a repository over ssh, through one <see cref="ShellSession"/> kept open for the backend's life
/// (requests are serialised on it; the ssh connection is multiplexed with git's). A failure mid-transfer drops the
/// session (the stream is out of step); the next request opens a new one. Both directions resume.
/// </summary>
public sealed class SshBackend(RemoteDescriptor remote, SshLocation location) : IResumableBackend, IRemoteUuidSource
{
    private const int BufferSize = 1 << 20;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ShellSession? _session;

    public Task<string?> ReadRemoteUuidAsync(CancellationToken ct) =>
        WithSessionAsync<string?>(async s => await s.RequestAsync("CONFIGLIST", ct), ct);

    public Task<bool> HasKeyAsync(Key key, CancellationToken ct) =>
        WithSessionAsync(async s => await s.RequestAsync($"HAVE {key}", ct) == "1", ct);

    public Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct) =>
        WithSessionAsync(async s =>
        {
            await using var input = new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var size = input.Length;
            if (key.Size is { } expected && expected != size)
                throw new IOException($"{sourceFile} is {size} bytes, but {key} says {expected}: it changed since it was annexed; not sent");
            var offset = ShellSession.Number(await s.RequestAsync($"STORE {key} {size}", ct));
            if (offset > size) throw new IOException($"{location.Host}: STORE {key}: the remote claims {offset} of {size} bytes already; refused");
            input.Seek(offset, SeekOrigin.Begin);
            await CopyAsync(input, s.Input, size - offset, offset, bytesDone, ct);
            s.Input.Flush();
            await s.ReadReplyAsync("STORE", ct);
            return true;
        }, ct);

    public Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct) =>
        WithSessionAsync(async s =>
        {
            await using var output = new FileStream(destinationFile, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
            var offset = output.Length;
            if (offset > key.Size) output.SetLength(offset = 0); // a partial longer than the content is no partial of it
            output.Seek(offset, SeekOrigin.Begin);
            var count = ShellSession.Number(await s.RequestAsync($"RETRIEVE {key} {offset}", ct));
            // The stream is out of step after this throw (count bytes follow), so the session is dropped, never read on.
            if (key.Size is { } size && count != size - offset)
                throw new IOException($"{location.Host}: RETRIEVE {key}: the remote announced {count} bytes from offset {offset}, but the key's size is {size}; refused");
            await s.Output.CopyBytesAsync(output, count, offset, bytesDone, ct);
            output.Flush(flushToDisk: true);
            return true;
        }, ct);

    public Task RemoveAsync(Key key, CancellationToken ct) =>
        WithSessionAsync(async s => await s.RequestAsync($"REMOVE {key}", ct), ct);

    private async Task<T> WithSessionAsync<T>(Func<ShellSession, Task<T>> action, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            _session ??= await ShellSession.StartAsync(location, remote.LocalUuid, ct);
            var session = _session;
            await using var abort = ct.Register(session.Abort);
            try { return await action(session); }
            catch (Exception e) when (e is not ShellErrorReply)
            {
                // An ERROR reply leaves the stream in step; anything else (cancel, broken pipe) may not: start afresh.
                await DropSessionAsync();
                ct.ThrowIfCancellationRequested();
                throw;
            }
        }
        finally { _lock.Release(); }
    }

    private async Task DropSessionAsync()
    {
        if (_session is null) return;
        var session = _session;
        _session = null;
        await session.DisposeAsync();
    }

    private async Task CopyAsync(Stream input, Stream output, long count, long done, IProgress<long> progress, CancellationToken ct)
    {
        var buffer = new byte[remote.BandwidthLimit is { } limit ? (int)Math.Clamp(limit / 10, 4096, BufferSize) : BufferSize];
        var clock = Stopwatch.StartNew();
        long sent = 0;
        progress.Report(done);
        while (sent < count)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - sent)), ct);
            if (read == 0) throw new IOException("the file shrank while it was being sent");
            output.Write(buffer, 0, read); // blocking: see ShellSession
            sent += read;
            progress.Report(done + sent);
            if (remote.BandwidthLimit is { } rate)
            {
                var due = TimeSpan.FromSeconds(sent / (double)rate) - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        try { await DropSessionAsync(); }
        finally { _lock.Release(); }
    }
}
