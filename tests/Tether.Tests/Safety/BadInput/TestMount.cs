namespace Tether.Tests.Safety.BadInput;

/// <summary>A filesystem mounted for one test (root only), unmounted when disposed, whatever was mounted there meanwhile.</summary>
public sealed class TestMount : IDisposable
{
    public string Path { get; }

    private TestMount(string path) => Path = path;

    /// <summary>A tmpfs of the given size (e.g. "3m") at <paramref name="at"/>, made if needed.</summary>
    public static TestMount Tmpfs(string at, string size)
    {
        Directory.CreateDirectory(at);
        Mounts.Tmpfs(at, size);
        return new TestMount(at);
    }

    /// <summary>The folder <paramref name="from"/> seen again at <paramref name="at"/> (a drive that can be unmounted and mounted back).</summary>
    public static TestMount Bind(string from, string at)
    {
        Directory.CreateDirectory(at);
        Mounts.Bind(from, at);
        return new TestMount(at);
    }

    public void Resize(string size) => Mounts.Resize(Path, size);

    public void Dispose() => Mounts.TryUnmount(Path);
}
