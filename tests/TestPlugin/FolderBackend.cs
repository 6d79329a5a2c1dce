using Tether.Sdk.Backends;
using Tether.Sdk.Keys;

namespace Tether.TestPlugin;

/// <summary>Keys as flat files named by their escaped key; uploads written to a temp name, then renamed.</summary>
public sealed class FolderBackend(string folder) : IContentBackend
{
    private string PathOf(Key key) => Path.Combine(folder, KeyFileName.Escape(key));

    public Task<bool> HasKeyAsync(Key key, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(key)));

    public async Task StoreAsync(Key key, string sourceFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var temp = PathOf(key) + ".part";
        await using (var input = File.OpenRead(sourceFile))
        await using (var output = File.Create(temp))
            await input.CopyToAsync(output, ct);
        File.Move(temp, PathOf(key), overwrite: true);
        bytesDone.Report(new FileInfo(sourceFile).Length);
    }

    public async Task RetrieveAsync(Key key, string destinationFile, IProgress<long> bytesDone, CancellationToken ct)
    {
        await using (var input = File.OpenRead(PathOf(key)))
        await using (var output = File.Create(destinationFile))
            await input.CopyToAsync(output, ct);
        bytesDone.Report(new FileInfo(destinationFile).Length);
    }

    public Task RemoveAsync(Key key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
