using System.Text;
using Tether.Sdk.Keys;

namespace Tether.Kernel.ContentRemoteGit;

/// <summary>
/// A git-remote-annex manifest: the ordered bundle keys that make up the repository (later bundles' refs replace earlier
/// ones of the same name), and the keys of bundles no longer used and waiting to be deleted (lines starting with '-').
/// A key is never in both lists.
/// </summary>
public sealed record GitManifest(IReadOnlyList<Key> Bundles, IReadOnlyList<Key> Obsolete)
{
    /// <summary>What is read of a manifest at most: a line per bundle, so this is tens of thousands of bundles.</summary>
    public const int MaxBytes = 4 << 20;

    public static GitManifest Empty { get; } = new([], []);

    public static GitManifest Of(IEnumerable<Key> bundles, IEnumerable<Key> obsolete)
    {
        var kept = bundles.Distinct().ToList();
        return new GitManifest(kept, obsolete.Distinct().Where(k => !kept.Contains(k)).ToList());
    }

    /// <summary>Parses a manifest the remote holds: hostile text, so every line must be a bundle key of this remote.</summary>
    /// <exception cref="IOException">Naming the manifest key and the line at fault.</exception>
    public static GitManifest Parse(string text, string remoteUuid, string where)
    {
        if (text.Length > MaxBytes) throw new IOException($"{where}: the manifest is larger than {MaxBytes} bytes; refused");
        var bundles = new List<Key>();
        var obsolete = new List<Key>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            var isObsolete = line.StartsWith('-');
            var keyText = isObsolete ? line[1..] : line;
            if (!Key.TryParse(keyText, out var key) || !GitRemoteAnnexKeys.IsBundleOf(key, remoteUuid))
                throw new IOException($"{where}: line {lineNumber} is not a GITBUNDLE key of remote {remoteUuid}: '{Printable(line)}'; the manifest is refused");
            (isObsolete ? obsolete : bundles).Add(key);
        }
        return Of(bundles, obsolete);
    }

    public string Format()
    {
        var text = new StringBuilder();
        foreach (var key in Bundles) text.Append(key).Append('\n');
        foreach (var key in Obsolete) text.Append('-').Append(key).Append('\n');
        return text.ToString();
    }

    /// <summary>This manifest with <paramref name="bundle"/> appended (once).</summary>
    public GitManifest Appending(Key bundle) => Bundles.Contains(bundle) ? this : Of([.. Bundles, bundle], Obsolete);

    /// <summary>
    /// A full push over this (freshly read) manifest: <paramref name="full"/> replaces the bundles it was made from
    /// (<paramref name="covered"/>, which become obsolete); a bundle another node added meanwhile is kept, after it.
    /// </summary>
    public GitManifest Compacted(Key full, IReadOnlyCollection<Key> covered) =>
        Of([full, .. Bundles.Where(k => !covered.Contains(k))], [.. Obsolete, .. covered.Where(k => k != full)]);

    /// <summary>This manifest without the obsolete keys that are now deleted from the remote.</summary>
    public GitManifest Forgetting(IReadOnlyCollection<Key> deleted) => new(Bundles, Obsolete.Where(k => !deleted.Contains(k)).ToList());

    private static string Printable(string text) =>
        new(text.Take(120).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
