namespace Tether.Kernel.Configuration;

/// <summary>Reads a config file's text, reporting problems as <see cref="ConfigException"/>.</summary>
internal static class ConfigFileReader
{
    /// <summary>1 MiB: a real config is a few KiB; anything bigger is the wrong file (or a hostile one), refused before it is read.</summary>
    public const long MaxBytes = 1 << 20;

    public static string ReadText(string path)
    {
        if (Directory.Exists(path))
            throw new ConfigException(path, "is a directory", "expected a config file such as .tether/config.yml");
        try
        {
            if (new FileInfo(path).Length is var size and > MaxBytes)
                throw new ConfigException(path, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the file is {size:N0} bytes; a config is at most {MaxBytes:N0} bytes"), "is this the right file?");
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
