using Tether.Platform.Drives;
using Tether.Sdk.Triggers;

namespace Tether.Plugins.Usb;

/// <summary>
/// Trigger type "usb": watches the mount table for the drive remotes (those with a <c>drive:</c> section, added with
/// <c>tether drive add</c>) and tells the kernel where each one is whenever it is mounted or unmounted.
/// The kernel starts one for every repository with drive remotes; no config entry is needed.
/// </summary>
public sealed class UsbTriggerFactory : ISyncTriggerFactory
{
    public string Type => "usb";

    public ISyncTrigger Create(TriggerDescriptor trigger)
    {
        if (trigger.Options.Count > 0)
            throw new ArgumentException($"{trigger.Source}: the usb trigger takes no options (got {string.Join(", ", trigger.Options.Keys)})");
        var drives = trigger.Remotes.Where(r => r.Drive is not null).Select(r => (r.Name, r.Drive!)).ToList();
        var ids = new CachedFilesystemIds(new FilesystemIds());
        return new UsbTrigger(drives, MountTable.ReadCurrent, new DriveLocator(ids.LookupAsync, DriveMarker.ReadRepositoryUuid), () => new MountInfoWatcher());
    }
}
