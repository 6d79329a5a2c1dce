namespace Tether.Kernel.Plugins;

/// <summary>
/// Where plugins are looked for, in order (a backend type found twice: the later folder wins):
/// <c>plugins/</c> next to the tether program (the shipped plugins), <c>~/.local/share/tether/plugins/</c>,
/// <c>.tether/plugins/</c> in the repository, then the config's <c>plugins.folders</c>.
/// Each holds one folder per plugin.
/// </summary>
public static class PluginFolders
{
    public static string Shipped => Path.Combine(AppContext.BaseDirectory, "plugins");

    public static string User
    {
        get
        {
            var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (string.IsNullOrEmpty(dataHome))
                dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(dataHome, "tether", "plugins");
        }
    }

    /// <summary>The roots to scan for a repository: defaults first, then configured folders (relative ones from <paramref name="repoRoot"/>).</summary>
    public static IReadOnlyList<string> For(string? repoRoot, IEnumerable<string> configured)
    {
        var roots = new List<string> { Shipped, User };
        if (repoRoot is not null) roots.Add(Path.Combine(repoRoot, ".tether", "plugins"));
        roots.AddRange(configured.Select(f => Path.GetFullPath(ExpandHome(f), repoRoot ?? Environment.CurrentDirectory)));
        return roots.Select(Path.TrimEndingDirectorySeparator).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;
}
