namespace Tether.Fuzz.Driver;

/// <summary>The user's entries of a work tree (not .git, not .tether), relative, with '/' separators.</summary>
public static class WorkTreeListing
{
    public static List<string> Files(string root) => Entries(root, folders: false);

    public static List<string> Folders(string root) => Entries(root, folders: true);

    private static List<string> Entries(string root, bool folders)
    {
        var found = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var dir))
        {
            IEnumerable<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(dir).ToList(); }
            catch (Exception e) when (e is DirectoryNotFoundException or IOException) { continue; }
            foreach (var entry in entries)
            {
                var relative = Path.GetRelativePath(root, entry);
                if (relative is ".git" or ".tether") continue;
                var isFolder = new FileInfo(entry).LinkTarget is null && Directory.Exists(entry);
                if (isFolder) pending.Push(entry);
                if (isFolder == folders) found.Add(relative);
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }
}
