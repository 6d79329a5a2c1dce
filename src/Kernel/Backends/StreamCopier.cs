namespace Tether.Kernel.Backends;

/// <summary>Copies content with progress, optional resume from a partial destination, and an optional rate limit.</summary>
public static class StreamCopier
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Copies the first <paramref name="length"/> bytes of <paramref name="input"/> (an open file: see
    /// <see cref="Annex.ObjectStore.OpenContent"/>) to <paramref name="destination"/>, and never more, however the
    /// source grows. With <paramref name="resume"/>, an existing destination is kept as a prefix and only the rest is
    /// copied (the caller verifies the whole).
    /// </summary>
    public static async Task CopyFileAsync(FileStream input, long length, string destination, bool resume, IProgress<long>? progress, long? bytesPerSecond, CancellationToken ct)
    {
        var offset = resume && File.Exists(destination) ? Math.Min(new FileInfo(destination).Length, length) : 0;
        await using var output = new FileStream(destination, resume ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
        output.SetLength(offset);
        output.Seek(offset, SeekOrigin.Begin);
        input.Seek(offset, SeekOrigin.Begin);
        await CopyAsync(input, output, offset, length, progress, bytesPerSecond, ct);
        output.Flush(flushToDisk: true);
    }

    /// <summary>Copies from <paramref name="input"/> until it ends or <paramref name="end"/> bytes are done in all.</summary>
    public static async Task CopyAsync(Stream input, Stream output, long alreadyDone, long end, IProgress<long>? progress, long? bytesPerSecond, CancellationToken ct)
    {
        var buffer = new byte[bytesPerSecond is { } limit ? (int)Math.Clamp(limit / 10, 4096, BufferSize) : BufferSize];
        var done = alreadyDone;
        var copiedHere = 0L;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var writeBack = Platform.Native.EarlyWriteBack.For(output);
        var position = writeBack is null ? 0 : output.Position;
        progress?.Report(done);
        int read;
        while (done < end && (read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - done)), ct)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            done += read;
            copiedHere += read;
            position += read;
            writeBack?.Wrote(position);
            progress?.Report(done);
            if (bytesPerSecond is { } rate)
            {
                var due = TimeSpan.FromSeconds(copiedHere / (double)rate) - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            }
        }
    }
}
