namespace Tether.Kernel.Configuration;

/// <summary>
/// A remote on a removable drive (written by <c>tether drive add</c>): how to recognise the drive wherever it is
/// mounted. The remote's url is where it was last seen; the usb trigger finds it by <see cref="RepositoryUuid"/>,
/// looking first at the filesystem with <see cref="FsUuid"/>, then <see cref="Label"/>.
/// </summary>
public sealed class DriveConfig
{
    /// <summary>The trigger type that watches drives (plugins/usb); started for every remote with a drive section.</summary>
    public const string TriggerType = "usb";

    /// <summary>The repository's folder on the drive, relative to its root, e.g. tether.</summary>
    public required string Folder { get; init; }

    /// <summary>The annex UUID of the bare repository on the drive (also in its .tether-drive marker).</summary>
    public required string RepositoryUuid { get; init; }

    public string? FsUuid { get; init; }

    public string? Label { get; init; }

    public Sdk.Triggers.DriveIdentity ToIdentity() => new(Folder, RepositoryUuid) { FsUuid = FsUuid, Label = Label };
}
