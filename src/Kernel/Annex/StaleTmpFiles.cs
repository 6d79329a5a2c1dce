using Microsoft.Extensions.Logging;
using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers.Records;

namespace Tether.Kernel.Annex;

/// <summary>
/// Removes what dead transfers left in <c>annex/tmp</c>: a file there is a partial download or upload kept to be
/// resumed, so it goes only once nobody has written it for <see cref="MaxAge"/> (git-annex's own bound for its stale
/// temp files) and no process (Tether or git-annex) holds a transfer lock for its key. Run at daemon and shell start.
/// </summary>
public sealed class StaleTmpFiles(AnnexRepository repo, TransferRecordStore records, ILogger log)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    /// <summary>Removes the stale files; returns how many.</summary>
    public int Clean()
    {
        var removed = 0;
        foreach (var file in Files())
        {
            if (!IsStale(file)) continue;
            try
            {
                file.Delete();
                removed++;
                log.LogInformation("Removed stale temporary file {File} (untouched since {Time:u}, no transfer holds it)", file.FullName, file.LastWriteTimeUtc);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning("Cannot remove stale temporary file {File}: {Message}", file.FullName, e.Message);
            }
        }
        return removed;
    }

    private IEnumerable<FileInfo> Files()
    {
        try
        {
            return new DirectoryInfo(repo.TmpDir).GetFiles("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true });
        }
        catch (DirectoryNotFoundException) { return []; }
    }

    // File ages are the file system's clock, as the transfer records' are.
    private bool IsStale(FileInfo file) => DateTime.UtcNow - file.LastWriteTimeUtc > MaxAge && !records.IsAnyRunning(file.Name);
}
