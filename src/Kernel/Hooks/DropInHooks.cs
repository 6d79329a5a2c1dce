namespace Tether.Kernel.Hooks;

/// <summary>
/// Executables in <c>.tether/hooks/&lt;event&gt;.d/</c>, the run-parts habit: run one after the other in byte
/// order of their names, skipping what is not an executable regular file (symlinks followed), hidden files, and
/// editor or package-manager leftovers (<c>*~</c>, <c>#*#</c>, <c>*.swp</c>, <c>*.bak</c>, <c>*.dpkg-old</c>, ...).
/// Read afresh for every event, so a script dropped in takes effect at once.
/// </summary>
public static class DropInHooks
{
    private static readonly string[] LeftoverSuffixes =
        ["~", ".swp", ".swo", ".swx", ".bak", ".orig", ".rej", ".tmp", ".dpkg-old", ".dpkg-new", ".dpkg-dist", ".dpkg-tmp", ".ucf-old", ".ucf-new", ".ucf-dist", ".rpmnew", ".rpmsave"];

    public static string RootFor(string workTree) => Path.Combine(workTree, ".tether", "hooks");

    public static string FolderFor(string root, string eventName) => Path.Combine(root, eventName + ".d");

    /// <summary>Every entry of the event's folder in run order, with why it is skipped (null: it runs).</summary>
    public static IReadOnlyList<DropInEntry> List(string root, string eventName)
    {
        var folder = FolderFor(root, eventName);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFileSystemEntries(folder)
            .Select(path => new DropInEntry(path, SkipReason(path)))
            .OrderBy(entry => Path.GetFileName(entry.Path), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The executables that run for the event, in order.</summary>
    public static IReadOnlyList<string> Runnable(string root, string eventName) =>
        List(root, eventName).Where(e => e.SkipReason is null).Select(e => e.Path).ToList();

    private static string? SkipReason(string path)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith('.')) return "hidden";
        if (name.StartsWith('#') && name.EndsWith('#') || LeftoverSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)))
            return "an editor or package backup";
        var info = new FileInfo(path);
        var target = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo : info;
        if (target is null || !target.Exists) return Directory.Exists(path) ? "a folder" : "not a regular file";
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (target.UnixFileMode & anyExecute) == 0 ? "not executable" : null;
    }
}
