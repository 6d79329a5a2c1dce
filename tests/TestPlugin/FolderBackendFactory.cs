using Tether.Sdk.Backends;

namespace Tether.TestPlugin;

/// <summary>
/// Backend type "testfolder": keys as flat files in a folder (content only). A file named
/// <c>throw-in-constructor</c> beside the DLL makes the constructor throw (the host must report and skip it).
/// </summary>
public sealed class FolderBackendFactory : IContentBackendFactory
{
    public FolderBackendFactory()
    {
        var marker = Path.Combine(Path.GetDirectoryName(typeof(FolderBackendFactory).Assembly.Location)!, "throw-in-constructor");
        if (File.Exists(marker)) throw new InvalidOperationException("test plugin told to fail at start");
    }

    public string Type => "testfolder";
    public int DefaultCost => 150;
    public bool HasGitRepository => false;
    public IContentBackend Create(RemoteDescriptor remote) => new FolderBackend(remote.Url);
}
