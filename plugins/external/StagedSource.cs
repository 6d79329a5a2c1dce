using Tether.Sdk.Keys;

namespace Tether.Plugins.External;

/// <summary>
/// The file a STORE hands the helper, named as the key. git-annex always passes its object file
/// (<c>.git/annex/objects/../KEY/KEY</c>) and helpers rely on it: git-annex-remote-rclone runs <c>rclone copy FILE
/// DIR/</c>, which keeps the file's own name. Any other source is hard-linked (or, across filesystems, copied) to
/// <c>.git/tether/external/tmp/&lt;random&gt;/KEY</c> for the transfer and removed after.
/// </summary>
internal sealed class StagedSource : IAsyncDisposable
{
    private readonly string? _folder;

    private StagedSource(string path, string? folder)
    {
        Path = path;
        _folder = folder;
    }

    public string Path { get; }

    public static StagedSource For(string source, Key key, string? gitDirectory)
    {
        var name = KeyFileName.Escape(key);
        if (System.IO.Path.GetFileName(source) == name) return new StagedSource(source, null);
        var root = gitDirectory is null ? System.IO.Path.GetTempPath() : System.IO.Path.Combine(gitDirectory, "tether", "external", "tmp");
        var folder = System.IO.Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var staged = System.IO.Path.Combine(folder, name);
        if (!Native.TryHardLink(source, staged)) File.Copy(source, staged);
        return new StagedSource(staged, folder);
    }

    public ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            try { Directory.Delete(_folder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return ValueTask.CompletedTask;
    }

    private static class Native
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        private static extern int link(string oldpath, string newpath);

        public static bool TryHardLink(string from, string to) => link(from, to) == 0;
    }
}
