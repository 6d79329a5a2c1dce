namespace Tether.Kernel.Backends;

/// <summary>Copies content with progress, optional resume from a partial destination, and an optional rate limit.</summary>
public static class StreamCopier
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/>. With <paramref name="resume"/>, an existing
    /// destination is kept as a prefix and only the rest is copied (the caller verifies the whole).
    /// </summary>
    public static async Task CopyFileAsync(string source, string destination, bool resume, IProgress<long>? progress, long? bytesPerSecond, CancellationToken ct)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var offset = resume && File.Exists(destination) ? Math.Min(new FileInfo(destination).Length, input.Length) : 0;
        await using var output = new FileStream(destination, resume ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
        output.SetLength(offset);
        output.Seek(offset, SeekOrigin.Begin);
        input.Seek(offset, SeekOrigin.Begin);
        await CopyAsync(input, output, offset, progress, bytesPerSecond, ct);
        output.Flush(flushToDisk: true);
    }

    public static async Task CopyAsync(Stream input, Stream output, long alreadyDone, IProgress<long>? progress, long? bytesPerSecond, CancellationToken ct)
    {
        var buffer = new byte[bytesPerSecond is { } limit ? (int)Math.Clamp(limit / 10, 4096, BufferSize) : BufferSize];
        var done = alreadyDone;
        var copiedHere = 0L;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var writeBack = Platform.Native.EarlyWriteBack.For(output);
        var position = writeBack is null ? 0 : output.Position;
        progress?.Report(done);
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
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
