using Tether.Kernel.AnnexBranch;

namespace Tether.Kernel.UploadStrategies;

/// <summary>
/// Where a key's content came from: the repository with the oldest "present" line in the key's location log
/// (the origin records its copy when it ingests the file, before any other copy exists). Null when no
/// repository has it.
/// </summary>
public static class ContentOrigin
{
    public static string? Of(string? locationLog) =>
        LocationLog.Current(locationLog).Values.Where(l => l.Status == LocationStatus.Present)
            .OrderBy(l => l.Time).ThenBy(l => l.Uuid, StringComparer.Ordinal).FirstOrDefault()?.Uuid;
}
