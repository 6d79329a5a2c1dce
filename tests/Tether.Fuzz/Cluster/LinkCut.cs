namespace Tether.Fuzz.Cluster;

/// <summary>
/// A local-path remote reached through a symlink of its own (links/A-to-B → B): removing the symlink makes B vanish
/// for A only, as an unmounted disk does, while B's own daemon and work tree carry on.
/// </summary>
public sealed class LinkCut(string linkPath, string target) : ICut
{
    public string Name => Path.GetFileName(linkPath);
    public bool IsCut => new FileInfo(linkPath).LinkTarget is null;

    public Task CutAsync(CancellationToken ct)
    {
        File.Delete(linkPath);
        return Task.CompletedTask;
    }

    public Task RestoreAsync(CancellationToken ct)
    {
        if (IsCut) File.CreateSymbolicLink(linkPath, target);
        return Task.CompletedTask;
    }
}
