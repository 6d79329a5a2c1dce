using System.Text;
using Tether.Platform.Hashing;

namespace Tether.Platform.Protocol;

/// <summary>
/// Reads a stream that mixes text lines (the <c>tether shell</c> protocol's commands and replies) with raw
/// byte runs of announced length (file content), without losing bytes to a reader's read-ahead.
/// Both ends of the protocol use it (ShellServer, and plugins/ssh on the client side), so both frame alike.
/// </summary>
/// <param name="blocking">
/// Read with blocking calls: for <c>tether shell</c>, a process that does nothing else, where a thread-pool hop per
/// pipe read (64 KiB at most) would cost a good part of the throughput.
/// </param>
public sealed class LineProtocolReader(Stream input, bool blocking = false)
{
    private const int MaxLine = 64 * 1024;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;

    /// <summary>The next line without its '\n'; null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - _start);
                _start = newline + 1;
                return line;
            }
            if (_end - _start >= MaxLine) throw new IOException("protocol line too long");
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            var read = await ReadAsync(_buffer.AsMemory(_end), ct);
            if (read == 0) return null;
            _end += read;
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="output"/>, reporting the running total from <paramref name="done"/>.</summary>
    /// <param name="hash">Fed every byte copied, so the receiver verifies without reading the file again.</param>
    public async Task CopyBytesAsync(Stream output, long count, long done, IProgress<long>? progress, CancellationToken ct, Hashing.ContentHash? hash = null)
    {
        var left = count;
        var writeBack = Tether.Platform.Native.EarlyWriteBack.For(output);
        var position = writeBack is null ? 0 : output.Position;
        while (left > 0)
        {
            if (_start == _end)
            {
                // Gather up to a full buffer (pipes hand out 64 KiB at most) so hashing and writing work in big blocks.
                _start = 0;
                _end = 0;
                var want = (int)Math.Min(_buffer.Length, left);
                while (_end < want)
                {
                    var read = await ReadAsync(_buffer.AsMemory(_end, want - _end), ct);
                    if (read == 0) break;
                    _end += read;
                }
                if (_end == 0) throw new EndOfStreamException($"the other side closed the stream with {left} of {count} bytes still to come");
            }
            var take = (int)Math.Min(left, _end - _start);
            hash?.Append(_buffer, _start, take);
            if (blocking) output.Write(_buffer, _start, take);
            else await output.WriteAsync(_buffer.AsMemory(_start, take), ct);
            _start += take;
            left -= take;
            done += take;
            position += take;
            writeBack?.Wrote(position);
            progress?.Report(done);
        }
    }

    private async ValueTask<int> ReadAsync(Memory<byte> into, CancellationToken ct)
    {
        if (!blocking) return await input.ReadAsync(into, ct);
        ct.ThrowIfCancellationRequested();
        return input.Read(into.Span);
    }
}
