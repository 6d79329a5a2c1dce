using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Sdk.Keys;

namespace Tether.Kernel.Transfers;

/// <summary>
/// The transfer queue on disk (.git/tether/transfer-queue.jsonl), so nothing queued is lost to a restart or
/// a crash: one JSON line per queued ("+") or finished/dropped ("-") request, appended and flushed; at load
/// the journal is replayed and rewritten compacted. A damaged line is skipped with a warning naming the
/// file and line, never fatal.
/// </summary>
public sealed class TransferQueueJournal(string path, ILogger log) : IDisposable
{
    private StreamWriter? _writer;
    private readonly Lock _lock = new();

    private sealed record Line(string Op, string Direction, string Key, string File, string? Remote);

    /// <summary>Replays the journal; returns the requests still queued, in their original order.</summary>
    public List<TransferRequest> Load()
    {
        var queued = new List<TransferRequest>();
        var index = new HashSet<TransferRequest>();
        if (File.Exists(path))
        {
            var number = 0;
            foreach (var text in File.ReadLines(path))
            {
                number++;
                if (text.Length == 0) continue;
                if (!TryParse(text, out var op, out var request))
                {
                    log.LogWarning("{File}:{Line}: skipping a damaged transfer queue entry", path, number);
                    continue;
                }
                if (op == "+" && index.Add(request)) queued.Add(request);
                else if (op == "-" && index.Remove(request)) queued.Remove(request);
            }
        }
        Rewrite(queued);
        return queued;
    }

    public void Added(TransferRequest request) => Append("+", request);

    public void Removed(TransferRequest request) => Append("-", request);

    private void Append(string op, TransferRequest request)
    {
        var line = JsonSerializer.Serialize(new Line(op, request.Direction.ToString(), request.Key.ToString(), request.File, request.Remote));
        lock (_lock)
        {
            _writer ??= new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    private void Rewrite(List<TransferRequest> queued)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.WriteAllLines(tmp, queued.Select(r => JsonSerializer.Serialize(new Line("+", r.Direction.ToString(), r.Key.ToString(), r.File, r.Remote))));
        File.Move(tmp, path, overwrite: true);
    }

    private static bool TryParse(string text, out string op, out TransferRequest request)
    {
        op = ""; request = null!;
        try
        {
            var line = JsonSerializer.Deserialize<Line>(text);
            if (line is null || line.Op is not ("+" or "-") || !Enum.TryParse<TransferDirection>(line.Direction, out var direction)
                || !Key.TryParse(line.Key, out var key)) return false;
            op = line.Op;
            request = new TransferRequest(direction, key, line.File, line.Remote);
            return true;
        }
        catch (JsonException) { return false; }
    }

    public void Dispose()
    {
        lock (_lock) _writer?.Dispose();
    }
}
