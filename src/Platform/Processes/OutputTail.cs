using System.Text;

namespace Tether.Platform.Processes;

/// <summary>
/// Keeps the last <see cref="Capacity"/> bytes written to it (a ring), and counts all of them: a hook that
/// prints 100 MB costs this many bytes of memory, not 100 MB. Thread-safe (stdout and stderr share one tail).
/// </summary>
public sealed class OutputTail(int capacity)
{
    private readonly byte[] _ring = new byte[capacity];
    private readonly Lock _lock = new();
    private int _next;
    private bool _wrapped;

    public int Capacity => _ring.Length;

    public long TotalBytes { get; private set; }

    public bool Truncated { get { lock (_lock) return TotalBytes > _ring.Length; } }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            TotalBytes += data.Length;
            if (data.Length >= _ring.Length)
            {
                data[^_ring.Length..].CopyTo(_ring);
                _next = 0;
                _wrapped = true;
                return;
            }
            int first = Math.Min(data.Length, _ring.Length - _next);
            data[..first].CopyTo(_ring.AsSpan(_next));
            data[first..].CopyTo(_ring);
            _next += data.Length;
            if (_next >= _ring.Length) { _next -= _ring.Length; _wrapped = true; }
        }
    }

    public byte[] ToArray()
    {
        lock (_lock)
        {
            if (!_wrapped) return _ring[.._next];
            return [.. _ring[_next..], .. _ring[.._next]];
        }
    }

    /// <summary>The kept bytes as text (invalid UTF-8 replaced).</summary>
    public override string ToString() => Encoding.UTF8.GetString(ToArray());
}
