namespace Tether.Kernel.Configuration;

/// <summary>Reads and validates config files. Never writes to disk.</summary>
public static class ConfigLoader
{
    /// <summary>Where a repository keeps its config, relative to the repository root.</summary>
    public static string RelativePath { get; } = Path.Combine(".tether", "config.yml");

    public static string DefaultPathFor(string repoRoot) => Path.Combine(repoRoot, RelativePath);

    /// <exception cref="ConfigException">The file is missing, unreadable or invalid.</exception>
    public static TetherConfig Load(string path) => LoadFromText(ConfigFileReader.ReadText(path), path);

    /// <summary>
    /// Loads <paramref name="explicitPath"/> when given (it must exist), else the repository's
    /// .tether/config.yml when it exists, else the defaults.
    /// </summary>
    public static TetherConfig LoadForRepository(string repoRoot, string? explicitPath)
    {
        if (explicitPath is not null)
            return Load(explicitPath);
        string path = DefaultPathFor(repoRoot);
        return File.Exists(path) ? Load(path) : TetherConfig.Default;
    }

    /// <summary>Validates config text; <paramref name="sourcePath"/> is used in error messages and as <see cref="TetherConfig.SourcePath"/>.</summary>
    public static TetherConfig LoadFromText(string yaml, string sourcePath)
    {
        var root = YamlDocumentReader.ReadRoot(yaml, sourcePath);
        return TetherConfigBinder.Bind(new ConfigNode(sourcePath, root, ""));
    }
}
