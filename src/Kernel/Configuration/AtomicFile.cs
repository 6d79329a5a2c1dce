namespace Tether.Kernel.Configuration;

/// <summary>Replaces a file's content so that readers see either the old or the new text, never a mix.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
