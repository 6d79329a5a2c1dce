using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Backends;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Tether.Kernel.OneShot;

namespace Tether.Tests.Support;

/// <summary>One Tether repository in a test, with its remotes, synced in-process through the kernel.</summary>
public sealed class Node
{
    public const long LargeFileThreshold = 1024;

    public string Path { get; }
    public string Name { get; }
    public AnnexRepository Repo { get; private set; } = null!;
    public List<Remote> Remotes { get; } = [];
    public Tether.Kernel.Configuration.TransferStrategy Strategy { get; set; } = Tether.Kernel.Configuration.TransferStrategy.Tree;
    public Tether.Kernel.Wants.WantedContent Wants { get; set; } = Tether.Kernel.Wants.WantedContent.All;
    /// <summary>New large files are added unlocked (annex.unlocked).</summary>
    public bool Unlocked { get; set; }

    private Node(string path, string name) { Path = path; Name = name; }

    public static async Task<Node> CreateAsync(string path, string name, bool bare = false)
    {
        var node = new Node(path, name);
        node.Repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(path, name, bare, CancellationToken.None);
        return node;
    }

    public Node AddRemote(Node other, int cost = 100) => AddRemote(other.Name, other.Path, cost);

    public Node AddRemote(string name, string path, int cost = 100)
    {
        Remotes.Add(new Remote(name, path, "local", cost, null));
        return this;
    }

    public Task<SyncReport> SyncAsync() =>
        new OneShotSync(Repo, new SyncSettings(Name, (_, size) => size >= LargeFileThreshold) { Strategy = Strategy, Wants = Wants, Unlocked = Unlocked }, Remotes,
            BackendRegistry.BuiltIn(TimeProvider.System), TimeProvider.System, NullLogger.Instance).RunAsync(CancellationToken.None);

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Write(string relative, string content)
    {
        var full = File(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        if (new FileInfo(full).LinkTarget is not null) System.IO.File.Delete(full);
        System.IO.File.WriteAllText(full, content);
    }

    public string Read(string relative) => System.IO.File.ReadAllText(File(relative));

    /// <summary>The committed tree as "path mode" lines (git ls-tree), for comparing nodes.</summary>
    public string Tree() => GitCli.Run(Path, "ls-tree", "-r", "--full-tree", "HEAD");

    /// <summary>Every work-tree file (following annex links) with its content, for comparing nodes.</summary>
    public SortedDictionary<string, string> Contents()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories))
        {
            var rel = System.IO.Path.GetRelativePath(Path, file);
            if (rel.StartsWith(".git") || rel.StartsWith(".tether") || Directory.Exists(file) && new FileInfo(file).LinkTarget is null) continue;
            result[rel] = System.IO.File.Exists(file) ? System.IO.File.ReadAllText(file) : "<missing content>";
        }
        return result;
    }
}
