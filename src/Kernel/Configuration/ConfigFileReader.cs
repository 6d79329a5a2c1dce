namespace Tether.Kernel.Configuration;

/// <summary>Reads a config file's text, reporting problems as <see cref="ConfigException"/>.</summary>
internal static class ConfigFileReader
{
    public static string ReadText(string path)
    {
        if (Directory.Exists(path))
            throw new ConfigException(path, "is a directory", "expected a config file such as .tether/config.yml");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException(path, "file not found", null, error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, $"cannot read the file ({error.Message})", null, error);
        }
    }
}
