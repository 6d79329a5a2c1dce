using Tether.Kernel.Status;

namespace Tether.Cli.Commands;

/// <summary>Transfers as plain lines (for logs and pipes): direction, file, remote, bytes, rate, ETA.</summary>
public static class TransferProgressPrinter
{
    public static async Task PrintAsync(IReadOnlyList<TransferStatus> transfers, TextWriter output, TextWriter _)
    {
        if (transfers.Count == 0) { await output.WriteLineAsync("no transfers"); return; }
        foreach (var t in transfers) await output.WriteLineAsync(Line(t));
    }

    public static string Line(TransferStatus t)
    {
        var who = t.Process is null ? "" : $" [{t.Process}]";
        if (!t.Running) return $"{t.Id} queued  {t.Direction} {t.File} ({t.Remote}){who} {Bytes(t.Size)}";
        return $"{t.Id} running {t.Direction} {t.File} ({t.Remote}){who} {Bytes(t.Bytes)}/{Bytes(t.Size)} {Percent(t)} {Bytes((long)t.BytesPerSecond)}/s ETA {Eta(t)}";
    }

    public static string Percent(TransferStatus t) => t.Size is > 0 ? $"{100.0 * t.Bytes / t.Size.Value:0}%" : "?%";

    public static string Eta(TransferStatus t) =>
        t.Size is { } size && t.BytesPerSecond > 0 ? TimeSpan.FromSeconds(Math.Max(0, (size - t.Bytes) / t.BytesPerSecond)).ToString(@"h\:mm\:ss") : "?";

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "?",
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.0} KiB",
        < 1 << 30 => $"{bytes / 1048576.0:0.0} MiB",
        _ => $"{bytes / 1073741824.0:0.00} GiB",
    };
}
