namespace Tether.Kernel.AnnexBranch;

/// <summary>
/// remote.log: special remotes' config, "&lt;uuid&gt; k=v k=v ... timestamp=&lt;T&gt;s" (sorted keys), newest per UUID wins.
/// Tether records its content-only remotes here as git-annex's initremote does, so another clone (Tether or
/// <c>git annex enableremote NAME</c>) finds the same remote under the same UUID.
/// </summary>
public static class RemoteLog
{
    public const string FileName = "remote.log";

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Parse(string? content) =>
        UuidLog.Parse(content).GroupBy(e => e.Uuid).ToDictionary(g => g.Key, g => Fields(g.MaxBy(e => e.Time)!.Description));

    /// <summary>The UUID of the special remote with this name and type, if one is recorded.</summary>
    public static string? Find(string? content, string name, string type) =>
        Parse(content).Where(r => r.Value.GetValueOrDefault("name") == name && r.Value.GetValueOrDefault("type") == type)
            .Select(r => r.Key).Order(StringComparer.Ordinal).FirstOrDefault();

    public static string With(string? content, string uuid, IReadOnlyDictionary<string, string> fields, TimeProvider clock) =>
        UuidLog.WithDescription(content, uuid, string.Join(' ', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")), clock);

    private static IReadOnlyDictionary<string, string> Fields(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
}
