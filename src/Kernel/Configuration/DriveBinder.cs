using System.Collections.Immutable;

namespace Tether.Kernel.Configuration;

/// <summary>Binds a remote's drive: section.</summary>
internal static class DriveBinder
{
    private static readonly ImmutableArray<string> Keys = ["folder", "uuid", "fs_uuid", "label"];
    private const string Expected = "expected a drive: a mapping with folder and uuid, optionally fs_uuid and label, e.g. {folder: tether, uuid: 5f2c..., fs_uuid: 1234-ABCD, label: BACKUP}";

    public static DriveConfig Bind(ConfigNode node)
    {
        var map = node.AsMapping(Expected, Keys);
        return new DriveConfig
        {
            Folder = BindFolder(map.Require("folder", "expected the repository's folder on the drive, relative to its root, e.g. tether")),
            RepositoryUuid = NonBlank(map.Require("uuid", "expected the annex uuid of the drive's repository"), "the annex uuid of the drive's repository"),
            FsUuid = map.Get("fs_uuid") is { } fsUuid ? NonBlank(fsUuid, "a filesystem uuid such as 1234-ABCD; leave fs_uuid out when there is none") : null,
            Label = map.Get("label") is { } label ? NonBlank(label, "a filesystem label; leave label out when there is none") : null,
        };
    }

    private static string BindFolder(ConfigNode node)
    {
        var folder = NonBlank(node, "a relative folder such as tether");
        if (Path.IsPathRooted(folder) || folder.Split('/').Any(part => part is ".." or "."))
            throw node.Error($"'{folder}' is not a folder inside the drive", "a relative folder without '.' or '..' parts, such as tether");
        return folder;
    }

    private static string NonBlank(ConfigNode node, string expected)
    {
        var text = node.AsString(expected);
        return text.Trim().Length > 0 ? text : throw node.Error("blank", expected);
    }
}
