namespace Tether.Kernel.Configuration;

/// <summary>
/// Replaces a config file's content so that readers see either the old or the new text, never a mix. The file is
/// made mode 0600 (its hooks' env: may hold secrets), from the moment the new text is first written.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode ReadWriteByOwner = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Options to create a new file readable and writable by its owner only.</summary>
    public static FileStreamOptions OwnerOnly(FileMode mode) =>
        new() { Mode = mode, Access = FileAccess.Write, UnixCreateMode = ReadWriteByOwner };

    public static void WriteAllText(string path, string text)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temporary, new System.Text.UTF8Encoding(false), OwnerOnly(FileMode.CreateNew)))
                writer.Write(text);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
