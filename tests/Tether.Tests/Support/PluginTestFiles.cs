namespace Tether.Tests.Support;

/// <summary>Files the plugin tests share: random content above the large-file threshold, the test plugin's build.</summary>
public static class PluginTestFiles
{
    /// <summary>The third-party test plugin (tests/TestPlugin), copied here by the test project's build.</summary>
    public static string TestPluginBuild => Path.Combine(AppContext.BaseDirectory, "test-plugins", "testplugin");

    public static byte[] WriteRandom(string path, int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    /// <summary>The key of an annexed (locked) file, from its symlink target.</summary>
    public static string KeyOf(string annexedFile) => Path.GetFileName(new FileInfo(annexedFile).LinkTarget!);

    public static bool HasContent(string annexedFile) => new FileInfo(annexedFile).ResolveLinkTarget(returnFinalTarget: true)?.Exists == true;
}
