using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Annex;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Repositories;
using Tether.Kernel.Shell;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Plugins;

/// <summary>`tether shell`'s protocol, driven in-process with a scripted stdin: resume, verification, records, location log.</summary>
public class ShellServerTests
{
    private const string Peer = "11111111-2222-3333-4444-555555555555";

    [Fact]
    public async Task AStoreResumesFromTheKeptPartialVerifiesAndRecordsTheLocation()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("server"), "server", false, CancellationToken.None);
        var content = PluginTestFiles.WriteRandom(dir.Combine("big.bin"), 300_000);
        var key = await KeyHasher.ComputeSha256EAsync(dir.Combine("big.bin"));
        Directory.CreateDirectory(repo.TmpDir);
        File.WriteAllBytes(new ObjectStore(repo).TmpPathFor(key), content[..100_000]); // an interrupted upload's partial

        var output = await RunAsync(repo, Script($"STORE {key} {content.Length}\n", content[100_000..], $"HAVE {key}\nQUIT\n"));
        Assert.Equal($"{ShellServer.Greeting}\nOK 100000\nOK\nOK 1\n", output);
        Assert.True(new ObjectStore(repo).Contains(key));
        using var branch = new GitAnnexBranch(repo, TimeProvider.System);
        Assert.Contains(repo.RequireUuid(), branch.PresentUuids(key));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(repo.AnnexDir, "transfer", "download", Peer)), f => !Path.GetFileName(f).StartsWith("lck."));
    }

    [Fact]
    public async Task WrongBytesAreRefusedAndNeverInstalledAndTheSessionGoesOn()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("server"), "server", false, CancellationToken.None);
        var content = PluginTestFiles.WriteRandom(dir.Combine("big.bin"), 50_000);
        var key = await KeyHasher.ComputeSha256EAsync(dir.Combine("big.bin"));
        var wrong = (byte[])content.Clone();
        wrong[123] ^= 0xFF;

        var output = await RunAsync(repo, Script($"STORE {key} {content.Length}\n", wrong, $"HAVE {key}\nBOGUS\nHAVE not-a-key\nQUIT\n"));
        var lines = output.Split('\n');
        Assert.Equal("OK 0", lines[1]);
        Assert.StartsWith("ERROR content received for", lines[2]);
        Assert.Equal("OK 0", lines[3]); // HAVE: not installed
        Assert.StartsWith("ERROR unknown request 'BOGUS'", lines[4]);
        Assert.StartsWith("ERROR HAVE: 'not-a-key' is not a key", lines[5]);
        Assert.False(new ObjectStore(repo).Contains(key));
        Assert.False(File.Exists(new ObjectStore(repo).TmpPathFor(key)));
    }

    [Fact]
    public async Task RetrieveSendsFromTheOffsetAndConfigListGivesTheUuid()
    {
        using var dir = new TempFolder();
        var repo = await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("server"), "server", false, CancellationToken.None);
        var content = PluginTestFiles.WriteRandom(dir.Combine("server", "big.bin"), 10_000);
        var key = await KeyHasher.ComputeSha256EAsync(dir.Combine("server", "big.bin"));
        await new ObjectStore(repo).LinkInAsync(key, dir.Combine("server", "big.bin"), CancellationToken.None);

        var input = new MemoryStream(Encoding.UTF8.GetBytes($"CONFIGLIST\nRETRIEVE {key} 4000\nQUIT\n"));
        var output = new MemoryStream();
        await new ShellServer(repo, Peer, input, output, TimeProvider.System, NullLogger.Instance).RunAsync(CancellationToken.None);
        var bytes = output.ToArray();
        var header = $"{ShellServer.Greeting}\nOK {repo.RequireUuid()}\nOK 6000\n";
        Assert.Equal(header, Encoding.UTF8.GetString(bytes, 0, header.Length));
        Assert.Equal(content[4000..], bytes[header.Length..]);
    }

    private static byte[] Script(string before, byte[] payload, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. payload, .. Encoding.UTF8.GetBytes(after)];

    private static async Task<string> RunAsync(AnnexRepository repo, byte[] script)
    {
        var output = new MemoryStream();
        await new ShellServer(repo, Peer, new MemoryStream(script), output, TimeProvider.System, NullLogger.Instance).RunAsync(CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
