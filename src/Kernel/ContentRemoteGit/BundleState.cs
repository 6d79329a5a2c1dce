using Tether.Kernel.Repositories;
using Tether.Sdk.Keys;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// What this repository knows of one remote's bundles, in <c>.git/tether/content-remote-git/&lt;uuid&gt;/</c>: the bundles
/// already fetched (their objects are here and their refs were read; never fetched again) and the bundles this repository
/// pushed (a bundle whose manifest line a concurrent writer lost is listed again on the next push), plus scratch space.
/// </summary>
public sealed class BundleState(AnnexRepository repo, string remoteUuid)
{
    private const int MaxPushedRemembered = 64;

    public string Folder => Path.Combine(repo.GitDir, "tether", "content-remote-git", remoteUuid);

    public string Scratch => Path.Combine(Folder, "tmp");

    public IReadOnlySet<Key> Fetched() => ReadKeys("fetched").ToHashSet();

    public IReadOnlyList<Key> Pushed() => ReadKeys("pushed");

    public void AddFetched(IEnumerable<Key> keys)
    {
        var all = ReadKeys("fetched");
        var added = keys.Where(k => !all.Contains(k)).ToList();
        if (added.Count > 0) WriteKeys("fetched", [.. all, .. added]);
    }

    /// <summary>Forgets fetched bundles neither list of the manifest names any more (compacted away: they never come back).</summary>
    public void KeepFetched(GitManifest manifest)
    {
        var all = ReadKeys("fetched");
        var named = manifest.Bundles.Concat(manifest.Obsolete).Concat(ReadKeys("pushed")).ToHashSet();
        var kept = all.Where(named.Contains).ToList();
        if (kept.Count != all.Count) WriteKeys("fetched", kept);
    }

    public void AddPushed(Key key) => WriteKeys("pushed", [.. ReadKeys("pushed").Where(k => k != key).TakeLast(MaxPushedRemembered - 1), key]);

    public void ForgetPushed(IReadOnlyCollection<Key> gone) => WriteKeys("pushed", ReadKeys("pushed").Where(k => !gone.Contains(k)).ToList());

    private List<Key> ReadKeys(string file)
    {
        var path = Path.Combine(Folder, file);
        if (!File.Exists(path)) return [];
        return File.ReadAllLines(path).Select(l => Key.TryParse(l, out var k) ? k : null).OfType<Key>().ToList();
    }

    private void WriteKeys(string file, IReadOnlyList<Key> keys)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, file);
        var temp = path + ".new";
        File.WriteAllLines(temp, keys.Select(k => k.ToString()));
        File.Move(temp, path, overwrite: true);
    }
}
