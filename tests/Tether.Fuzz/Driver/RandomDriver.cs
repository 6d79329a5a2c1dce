using System.Text;
using Tether.Fuzz.Cluster;

namespace Tether.Fuzz.Driver;

/// <summary>
/// The seeded random user and the chaos: on random nodes, creates, appends, in-place overwrites, editor-style atomic
/// saves, deletes and renames of files and folders, small (git) and large (annexed) files, the same path on two nodes
/// at once; between them, SIGKILLs a daemon (restarted after a random delay) and cuts a remote (restored later).
/// The seed fixes every choice; the daemons' timing is not fixed, so a replay reruns the same schedule of operations,
/// though the tree it meets may differ.
/// </summary>
public sealed class RandomDriver(FuzzCluster cluster, WorkTreeOperations operations, Random random,
    FuzzSettings settings, FuzzFigures figures, Action<string> log)
{
    private readonly NameMaker _names = new(random);
    private readonly List<(DateTime Due, string What, Func<CancellationToken, Task> Action)> _pending = [];
    private int _step;

    public async Task RunAsync(TimeSpan duration, CancellationToken ct)
    {
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            ct.ThrowIfCancellationRequested();
            await RunDueAsync(DateTime.UtcNow, ct);
            var roll = random.Next(1000);
            if (roll < 15) await KillOneAsync(ct);
            else if (roll < 30) await CutOneAsync(ct);
            else Operate();
            await Task.Delay(random.Next(20, 250), ct);
        }
        await RunDueAsync(DateTime.MaxValue, ct);
    }

    private async Task RunDueAsync(DateTime now, CancellationToken ct)
    {
        foreach (var due in _pending.Where(p => p.Due <= now).ToList())
        {
            _pending.Remove(due);
            log($"step {_step}: {due.What}");
            await due.Action(ct);
        }
    }

    private Task KillOneAsync(CancellationToken ct)
    {
        var running = cluster.Nodes.Where(n => n.IsRunning).ToList();
        if (running.Count == 0) return Task.CompletedTask;
        var node = running[random.Next(running.Count)];
        node.KillHard();
        figures.Kill();
        var delay = TimeSpan.FromMilliseconds(random.Next(200, 4000));
        log($"step {_step}: kill -9 {node.Name}, restart in {delay.TotalMilliseconds:0} ms");
        _pending.Add((DateTime.UtcNow + delay, $"restart {node.Name}", node.StartAsync));
        return Task.CompletedTask;
    }

    private async Task CutOneAsync(CancellationToken ct)
    {
        var whole = cluster.Cuts.Where(c => !c.IsCut).ToList();
        if (whole.Count == 0) return;
        var cut = whole[random.Next(whole.Count)];
        await cut.CutAsync(ct);
        figures.Cut();
        var delay = TimeSpan.FromMilliseconds(random.Next(1000, 8000));
        log($"step {_step}: cut {cut.Name}, restore in {delay.TotalMilliseconds:0} ms");
        _pending.Add((DateTime.UtcNow + delay, $"restore {cut.Name}", cut.RestoreAsync));
    }

    private void Operate()
    {
        _step++;
        var node = cluster.Nodes[random.Next(cluster.Nodes.Count)];
        // An editor's temp file caught by a commit mid-save may reach other nodes for a moment; a user never edits
        // one (seed 20261125: an atomic save onto such a file on another node made it a real file that must stay).
        var files = WorkTreeListing.Files(node.Path).Where(f => !f.Contains(WorkTreeOperations.EditorTempMarker, StringComparison.Ordinal)).ToList();
        var crowded = files.Count > 250;
        var roll = random.Next(100);
        var (kind, applied) = roll switch
        {
            < 16 when !crowded => ("create-small", Create(node, SmallContent(node), files)),
            < 24 when !crowded => ("create-large", Create(node, LargeContent(node), files)),
            < 24 => ("delete-file", DeleteFile(node, files)), // a crowded tree (conflict variants add files) shrinks again
            < 32 => ("append", Append(node, files)),
            < 36 => ("append-large", AppendToLargePlainFile(node, files)), // an unlocked large file edited in place
            < 46 => ("overwrite-in-place", OverwriteInPlace(node, files)),
            < 58 => ("atomic-save", AtomicSave(node, files)),
            < 70 => ("delete-file", DeleteFile(node, files)),
            < 80 => ("rename-file", RenameFile(node, files)),
            < 85 => ("rename-folder", RenameFolder(node)),
            < 88 => ("delete-folder", DeleteFolder(node)),
            < 96 => ("same-path-two-nodes", SamePathOnTwoNodes(node, files)),
            _ => ("delete-file", DeleteFile(node, files)),
        };
        if (applied) figures.Operation(kind);
    }

    private string Describe(string kind, FuzzNode node, string path) => $"op {_step} {kind} on {node.Name}:{path}";

    private bool Create(FuzzNode node, byte[] content, List<string> files)
    {
        var path = _names.NewFilePath();
        return operations.Create(node.Path, path, content, Describe("create", node, path));
    }

    private bool Append(FuzzNode node, List<string> files)
    {
        var path = PickSmallPlainFile(node, files, room: 1024);
        if (path is null) return false;
        var line = Encoding.UTF8.GetBytes($"append op {_step} on {node.Name}: {RandomText(random.Next(10, 400))}\n");
        return operations.WriteInPlace(node.Path, path, before => [.. before, .. line], Describe("append", node, path));
    }

    private bool AppendToLargePlainFile(FuzzNode node, List<string> files)
    {
        var candidates = files.Where(f => new FileInfo(Path.Combine(node.Path, f)) is { LinkTarget: null, Exists: true } info
            && info.Length >= settings.LargeFileThreshold && info.Length < 4 * settings.LargeFileThreshold).ToList();
        if (candidates.Count == 0) return false;
        var path = candidates[random.Next(candidates.Count)];
        var line = Encoding.UTF8.GetBytes($"append-large op {_step} on {node.Name}\n");
        return operations.WriteInPlace(node.Path, path, before => [.. before, .. line], Describe("append-large", node, path));
    }

    private bool OverwriteInPlace(FuzzNode node, List<string> files)
    {
        var path = PickSmallPlainFile(node, files, room: 0);
        if (path is null) return false;
        var content = SmallContent(node);
        return operations.WriteInPlace(node.Path, path, _ => content, Describe("overwrite", node, path));
    }

    private bool AtomicSave(FuzzNode node, List<string> files)
    {
        if (files.Count == 0) return false;
        var path = files[random.Next(files.Count)];
        var content = random.Next(3) == 0 ? LargeContent(node) : SmallContent(node);
        return operations.AtomicSave(node.Path, path, content, Describe("atomic-save", node, path));
    }

    private bool DeleteFile(FuzzNode node, List<string> files)
    {
        if (files.Count == 0) return false;
        var path = files[random.Next(files.Count)];
        return operations.Delete(node.Path, path, Describe("delete", node, path));
    }

    private bool RenameFile(FuzzNode node, List<string> files)
    {
        if (files.Count == 0) return false;
        var path = files[random.Next(files.Count)];
        var target = _names.NewFilePath();
        return operations.Rename(node.Path, path, target);
    }

    private bool RenameFolder(FuzzNode node)
    {
        var folders = WorkTreeListing.Folders(node.Path);
        if (folders.Count == 0) return false;
        var folder = folders[random.Next(folders.Count)];
        var parent = Path.GetDirectoryName(folder) ?? "";
        var target = random.Next(2) == 0 ? Path.Combine(parent, _names.NewFolderName()) : _names.NewFolderName();
        return operations.Rename(node.Path, folder, target);
    }

    private bool DeleteFolder(FuzzNode node)
    {
        var folders = WorkTreeListing.Folders(node.Path)
            .Where(f => WorkTreeListing.Files(Path.Combine(node.Path, f)).Count <= 12).ToList();
        if (folders.Count == 0) return false;
        var folder = folders[random.Next(folders.Count)];
        return operations.Delete(node.Path, folder, Describe("delete-folder", node, folder));
    }

    /// <summary>The same path written on two nodes at once: both create a new name, or both save over an existing one.</summary>
    private bool SamePathOnTwoNodes(FuzzNode first, List<string> files)
    {
        var others = cluster.Nodes.Where(n => n != first).ToList();
        var second = others[random.Next(others.Count)];
        var existing = files.Count > 0 && random.Next(2) == 0;
        var path = existing ? files[random.Next(files.Count)] : _names.NewFilePath();
        var large = random.Next(3) == 0;
        var writes = new[] { first, second }.Select(node => (Node: node, Content: large ? LargeContent(node) : SmallContent(node))).ToList();
        var results = writes.AsParallel().Select(w => existing
            ? operations.AtomicSave(w.Node.Path, path, w.Content, Describe("same-path save", w.Node, path))
            : operations.Create(w.Node.Path, path, w.Content, Describe("same-path create", w.Node, path))).ToList();
        return results.Any(r => r);
    }

    private string? PickSmallPlainFile(FuzzNode node, List<string> files, int room)
    {
        var candidates = files.Where(f =>
        {
            var info = new FileInfo(Path.Combine(node.Path, f));
            return info.LinkTarget is null && info.Exists && info.Length + room < settings.LargeFileThreshold - 64;
        }).ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private byte[] SmallContent(FuzzNode node)
    {
        var text = new StringBuilder($"fuzz seed {settings.Seed} op {_step} on {node.Name} token {random.NextInt64():x}\n");
        for (var lines = random.Next(0, 40); lines > 0; lines--) text.Append(RandomText(random.Next(5, 120))).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private byte[] LargeContent(FuzzNode node)
    {
        var size = random.Next(20) == 0 ? random.Next(2 << 20, 4 << 20) : random.Next(settings.LargeFileThreshold + 1, 600 << 10);
        var header = Encoding.UTF8.GetBytes($"fuzz seed {settings.Seed} op {_step} on {node.Name} token {random.NextInt64():x}\n");
        var content = new byte[Math.Max(size, header.Length)];
        random.NextBytes(content);
        header.CopyTo(content, 0);
        return content;
    }

    private string RandomText(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éüß";
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }
}
