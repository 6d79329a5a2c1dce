using System.Text;

namespace Tether.Kernel.Shell;

/// <summary>
/// Reads a stream that mixes text lines (the <c>tether shell</c> protocol's commands and replies) with raw
/// byte runs of announced length (file content), without losing bytes to a reader's read-ahead.
/// Shared as a source file with plugins/ssh (the client side), so both ends frame alike.
/// </summary>
internal sealed class LineProtocolReader(Stream input)
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
            var read = await input.ReadAsync(_buffer.AsMemory(_end), ct);
            if (read == 0) return null;
            _end += read;
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="output"/>, reporting the running total from <paramref name="done"/>.</summary>
    /// <param name="hash">Fed every byte copied, so the receiver verifies without reading the file again.</param>
    public async Task CopyBytesAsync(Stream output, long count, long done, IProgress<long>? progress, CancellationToken ct, System.Security.Cryptography.IncrementalHash? hash = null)
    {
        var left = count;
        while (left > 0)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await input.ReadAsync(_buffer.AsMemory(0, (int)Math.Min(_buffer.Length, Math.Max(left, 1))), ct);
                if (_end == 0) throw new EndOfStreamException($"the other side closed the stream with {left} of {count} bytes still to come");
            }
            var take = (int)Math.Min(left, _end - _start);
            hash?.AppendData(_buffer, _start, take);
            await output.WriteAsync(_buffer.AsMemory(_start, take), ct);
            _start += take;
            left -= take;
            done += take;
            progress?.Report(done);
        }
    }
}
