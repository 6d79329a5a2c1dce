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
        return t.ShownState switch
        {
            TransferStatus.RunningState => $"{t.Id} running {t.Direction} {t.File} ({t.Remote}){who} {Bytes(t.Bytes)}/{Bytes(t.Size)} {Percent(t)} {Rate(t)} ETA {Eta(t)}",
            TransferStatus.PausedState when t.Bytes > 0 => $"{t.Id} paused  {t.Direction} {t.File} ({t.Remote}){who} {Bytes(t.Bytes)}/{Bytes(t.Size)} {Percent(t)} done, resumes from there ('tether transfers resume')",
            TransferStatus.PausedState => $"{t.Id} paused  {t.Direction} {t.File} ({t.Remote}){who} {Bytes(t.Size)} ('tether transfers resume')",
            TransferStatus.ResumingState => $"{t.Id} resuming {t.Direction} {t.File} ({t.Remote}){who} {Bytes(t.Bytes)}/{Bytes(t.Size)} {Percent(t)} done, waiting for a slot",
            _ => $"{t.Id} queued  {t.Direction} {t.File} ({t.Remote}){who} {Bytes(t.Size)}",
        };
    }

    public static string Percent(TransferStatus t) => t.Size is > 0 ? $"{100.0 * t.Bytes / t.Size.Value:0}%" : "?%";

    /// <summary>The daemon's moving-window rate ("?" while it is not known yet).</summary>
    public static string Rate(TransferStatus t) => t.BytesPerSecond > 0 ? $"{Bytes((long)t.BytesPerSecond)}/s" : "?/s";

    public static string Eta(TransferStatus t) => t.EtaSeconds is { } seconds ? TimeSpan.FromSeconds(Math.Round(seconds)).ToString(@"h\:mm\:ss") : "?";

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "?",
        < 1024 => $"{bytes} B",
        < 1 << 20 => $"{bytes / 1024.0:0.0} KiB",
        < 1 << 30 => $"{bytes / 1048576.0:0.0} MiB",
        _ => $"{bytes / 1073741824.0:0.00} GiB",
    };
}
