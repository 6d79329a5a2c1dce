using System.Text;

namespace Tether.Platform.Processes;

/// <summary>Where one output stream of a run goes: kept whole, kept as a capped tail, or handed on as it arrives.</summary>
internal abstract class OutputSink
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Append(ReadOnlySpan<byte> data)
    {
        Interlocked.Add(ref _bytes, data.Length);
        Keep(data);
    }

    protected abstract void Keep(ReadOnlySpan<byte> data);

    /// <summary>What was kept, as text (invalid UTF-8 replaced).</summary>
    public abstract string Text();

    public static OutputSink Whole() => new WholeOutput();

    public static OutputSink Streamed(Action<string> onText) => new StreamedOutput(onText);

    public static OutputSink Tail(OutputTail tail) => new TailOutput(tail);

    private sealed class WholeOutput : OutputSink
    {
        private readonly MemoryStream _kept = new();

        protected override void Keep(ReadOnlySpan<byte> data) => _kept.Write(data);

        public override string Text() => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
    }

    /// <summary>Decoded piece by piece (a character split between two reads is held back until it is whole).</summary>
    private sealed class StreamedOutput(Action<string> onText) : OutputSink
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

        protected override void Keep(ReadOnlySpan<byte> data)
        {
            var chars = new char[_decoder.GetCharCount(data, flush: false)];
            var count = _decoder.GetChars(data, chars, flush: false);
            if (count > 0) onText(new string(chars, 0, count));
        }

        public override string Text() => "";
    }

    /// <summary>Stdout and stderr into one tail (thread-safe), so the last lines read as they were written.</summary>
    private sealed class TailOutput(OutputTail tail) : OutputSink
    {
        protected override void Keep(ReadOnlySpan<byte> data) => tail.Append(data);

        public override string Text() => tail.ToString();
    }
}
