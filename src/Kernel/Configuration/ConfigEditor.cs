namespace Tether.Kernel.Configuration;

/// <summary>
/// Edits the remotes: list of a config file as text, so the user's comments and layout
/// elsewhere survive. An edit is written (atomically) only if the result loads and validates.
/// </summary>
public static class ConfigEditor
{
    /// <exception cref="ConfigException">The file is invalid, a remote of that name exists, or the result would not validate.</exception>
    public static void AddRemote(string path, RemoteConfig remote)
    {
        var section = ReadValidSection(path, out string text);
        if (section.Find(remote.Name) is { } existing)
            throw ConfigException.At(path, existing.NameNode.Start, $"remotes[{existing.Index}].name",
                $"a remote named '{remote.Name}' already exists", "choose another name, or remove the existing remote first");
        string edited = section.WithRemoteAdded(remote);
        var config = LoadEdited(path, edited, $"adding remote '{remote.Name}'");
        EnsureEdited(path, config.Remotes.Any(added => added.Name == remote.Name && added.Url == remote.Url));
        AtomicFile.WriteAllText(path, edited);
    }

    /// <exception cref="ConfigException">The file is invalid, no remote has that name, or the result would not validate.</exception>
    public static void RemoveRemote(string path, string name)
    {
        var section = ReadValidSection(path, out _);
        if (section.Find(name) is not { } existing)
            throw UnknownRemote(path, name, section.Names.ToList());
        string edited = section.WithRemoteRemoved(existing.Index);
        var config = LoadEdited(path, edited, $"removing remote '{name}'");
        EnsureEdited(path, config.Remotes.All(remaining => remaining.Name != name));
        AtomicFile.WriteAllText(path, edited);
    }

    private static RemotesSection ReadValidSection(string path, out string text)
    {
        text = ConfigFileReader.ReadText(path);
        ConfigLoader.LoadFromText(text, path);
        return RemotesSection.Parse(text);
    }

    private static TetherConfig LoadEdited(string path, string edited, string action)
    {
        try
        {
            return ConfigLoader.LoadFromText(edited, path);
        }
        catch (ConfigException invalid)
        {
            string where = invalid.KeyPath is null ? "" : $"{invalid.KeyPath}: ";
            throw new ConfigException(path, 0, 0, "remotes",
                $"{action} would make the config invalid ({where}{invalid.Problem})", invalid.Allowed, invalid);
        }
    }

    private static void EnsureEdited(string path, bool edited)
    {
        if (!edited)
            throw new ConfigException(path, 0, 0, "remotes",
                "could not edit the remotes list automatically; the file was left unchanged", "edit the file by hand");
    }

    private static ConfigException UnknownRemote(string path, string name, IReadOnlyList<string> names)
    {
        string allowed = names.Count == 0
            ? "no remotes are defined"
            : SpellingSuggestion.DidYouMean(name, names) + $"defined remotes: {string.Join(", ", names)}";
        return new ConfigException(path, 0, 0, "remotes", $"no remote named '{name}'", allowed);
    }
}
