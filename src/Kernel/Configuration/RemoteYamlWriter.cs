namespace Tether.Kernel.Configuration;

/// <summary>Writes one remote as a YAML list entry, shared by the printer and the editor.</summary>
internal static class RemoteYamlWriter
{
    /// <summary>Block-style lines; <paramref name="indent"/> is the indentation of the '-'.</summary>
    public static IEnumerable<string> BlockLines(RemoteConfig remote, string indent)
    {
        yield return $"{indent}- name: {YamlScalarText.Format(remote.Name ?? "")}";
        foreach (var (key, value) in Fields(remote, inFlow: false))
            yield return $"{indent}  {key}: {value}";
    }

    public static string FlowEntry(RemoteConfig remote)
    {
        var fields = Fields(remote, inFlow: true).Select(field => $"{field.Key}: {field.Value}");
        return $"{{name: {YamlScalarText.Format(remote.Name ?? "", inFlow: true)}, {string.Join(", ", fields)}}}";
    }

    private static IEnumerable<(string Key, string Value)> Fields(RemoteConfig remote, bool inFlow)
    {
        yield return ("url", YamlScalarText.Format(remote.Url ?? "", inFlow));
        yield return ("backend", YamlScalarText.Format(remote.Backend ?? "", inFlow));
        yield return ("cost", remote.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (remote.BandwidthLimit is { } limit)
            yield return ("bandwidth_limit", limit.ToString());
        if (!remote.Wants.IsAll)
            yield return ("wants", remote.Wants.ToString());
        if (remote.Drive is { } drive)
            yield return ("drive", DriveFlow(drive));
        if (remote.GitBundles)
            yield return ("git", "bundles");
    }

    private static string DriveFlow(DriveConfig drive)
    {
        var fields = new List<string> { $"folder: {YamlScalarText.Format(drive.Folder, inFlow: true)}", $"uuid: {YamlScalarText.Format(drive.RepositoryUuid, inFlow: true)}" };
        if (drive.FsUuid is { } fsUuid) fields.Add($"fs_uuid: {YamlScalarText.Format(fsUuid, inFlow: true)}");
        if (drive.Label is { } label) fields.Add($"label: {YamlScalarText.Format(label, inFlow: true)}");
        return $"{{{string.Join(", ", fields)}}}";
    }
}
