namespace Tether.Kernel.History;

/// <summary>One version as `tether log --json` prints it and GET /api/history answers it: one shape for both.</summary>
public static class FileVersionJson
{
    public static Dictionary<string, object?> ToJson(FileVersion v) => new()
    {
        ["version"] = v.Number,
        ["commit"] = v.CommitId,
        ["at"] = v.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["node"] = v.Node,
        ["action"] = v.Action switch { VersionAction.ConflictVariant => "conflict-variant", var a => a.ToString().ToLowerInvariant() },
        ["path"] = v.Path,
        ["renamed_from"] = v.RenamedFrom,
        ["size"] = v.Size,
        ["key"] = v.Key?.ToString(),
        ["content"] = v.Content.State.ToString().ToLowerInvariant() switch { "ingit" => "here", "none" => null, var s => s },
        ["in_git"] = v.Content.State == ContentState.InGit,
        ["holders"] = v.Content.Holders.Where(h => h != "here").ToList(),
    };
}
