namespace Tether.Platform.Drives;

/// <summary>
/// The file <c>.tether-drive</c> in the drive's repository folder: says which repository it is (its annex UUID),
/// so the drive is recognised on filesystems without a UUID (tmpfs, some FAT images) and without parsing git's config.
/// Format: <c>tether-drive 1</c>, then <c>repository-uuid UUID</c>, then <c>remote NAME</c> (informative).
/// </summary>
public static class DriveMarker
{
    public const string FileName = ".tether-drive";
    private const string Header = "tether-drive 1";

    public static void Write(string repositoryPath, string repositoryUuid, string remoteName)
    {
        var path = Path.Combine(repositoryPath, FileName);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, $"{Header}\nrepository-uuid {repositoryUuid}\nremote {remoteName}\n");
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>
    /// The annex UUID of the repository at <paramref name="repositoryPath"/>: from the marker, else from the
    /// repository's git config (<c>annex.uuid</c>; bare or not); null when there is no repository or no UUID.
    /// </summary>
    public static string? ReadRepositoryUuid(string repositoryPath)
    {
        try
        {
            var marker = Path.Combine(repositoryPath, FileName);
            if (File.Exists(marker) && FromMarker(File.ReadAllText(marker)) is { } uuid) return uuid;
            foreach (var config in new[] { Path.Combine(repositoryPath, "config"), Path.Combine(repositoryPath, ".git", "config") })
                if (File.Exists(config) && AnnexUuidFromGitConfig(File.ReadAllText(config)) is { } fromConfig) return fromConfig;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    public static string? FromMarker(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length < 2 || lines[0].Trim() != Header) return null;
        return lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("repository-uuid ", StringComparison.Ordinal))?["repository-uuid ".Length..].Trim() is { Length: > 0 } uuid
            ? uuid : null;
    }

    /// <summary>The <c>uuid</c> of the <c>[annex]</c> section of a git config file.</summary>
    public static string? AnnexUuidFromGitConfig(string text)
    {
        var inAnnex = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('[')) { inAnnex = line.Equals("[annex]", StringComparison.OrdinalIgnoreCase); continue; }
            if (!inAnnex) continue;
            var eq = line.IndexOf('=');
            if (eq > 0 && line[..eq].Trim().Equals("uuid", StringComparison.OrdinalIgnoreCase)) return line[(eq + 1)..].Trim().Trim('"');
        }
        return null;
    }
}
