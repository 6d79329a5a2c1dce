using Tether.Sdk.Keys;

namespace Tether.Plugins.External;

/// <summary>
/// Keys whose upload started but did not finish: <c>.git/tether/external/&lt;uuid&gt;/pending/&lt;key&gt;</c>, written
/// before TRANSFER STORE and removed after TRANSFER-SUCCESS. Many helpers (git-annex-remote-rclone with rclone before
/// 1.63) write straight to the key's name, so an upload cut short (helper killed, daemon killed) leaves a partial
/// object that CHECKPRESENT reports as present. A key marked here is removed from the remote before it is checked or
/// stored again, so a partial object is never taken for the key.
/// </summary>
internal sealed class PendingStores(string? gitDirectory, string? uuid)
{
    private string? Folder => gitDirectory is null || uuid is null ? null : Path.Combine(gitDirectory, "tether", "external", uuid, "pending");

    public bool IsPending(Key key) => PathOf(key) is { } file && File.Exists(file);

    public void Mark(Key key)
    {
        if (PathOf(key) is not { } file) return;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write);
        stream.Flush(flushToDisk: true);
    }

    public void Clear(Key key)
    {
        if (PathOf(key) is { } file && File.Exists(file)) File.Delete(file); // no folder yet: this repository never stored there
    }

    private string? PathOf(Key key) => Folder is { } folder ? Path.Combine(folder, KeyFileName.Escape(key)) : null;
}
