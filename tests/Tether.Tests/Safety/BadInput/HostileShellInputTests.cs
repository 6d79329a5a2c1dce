using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;
using Tether.Kernel.Shell;
using Tether.Kernel.Transfers;
using Tether.Kernel.Transfers.Records;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Safety.BadInput;

/// <summary>
/// `tether shell` told sizes, paths and removals by a peer: a STORE never writes more than its key's size, nothing is
/// left in annex/tmp by a failed one, stale temp files are cleaned, REMOVE honours numcopies as `tether drop` does, and
/// a path that is no annex repository is refused untouched.
/// </summary>
public sealed class HostileShellInputTests
{
    private const string Peer = "11111111-2222-3333-4444-555555555555";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AStoreWhoseSizeIsNotTheKeysIsRefusedBeforeAnyByteIsWritten()
    {
        using var dir = new TempFolder();
        var repo = await ServerAsync(dir);
        var key = await KeyOfAsync(dir, "hello");
        var script = Bytes($"STORE {key} 1000000000000\n", new byte[300_000], ""); // no newline in the flood: the session ends on it

        var output = new MemoryStream();
        var server = new ShellServer(repo, Peer, new MemoryStream(script), output, TimeProvider.System, NullLogger.Instance);
        await Assert.ThrowsAsync<IOException>(() => server.RunAsync(CancellationToken.None)); // "protocol line too long"

        Assert.Equal($"{ShellServer.Greeting}\nERROR STORE {key}: 1000000000000 bytes announced, but the key's size is 5; refused\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Empty(TmpFiles(repo));
        Assert.False(new ObjectStore(repo).Contains(key));
    }

    [Fact]
    public async Task ACutStoreOfAKeyWithoutASizeLeavesNothingInTmpAndOneWithASizeKeepsAtMostItsSize()
    {
        using var dir = new TempFolder();
        var repo = await ServerAsync(dir);
        var sized = await KeyOfAsync(dir, new string('x', 10_000));
        var unsized = new Key(sized.Backend, sized.Name);

        foreach (var (key, announced) in new[] { (unsized, 1_000_000L), (sized, 10_000L) })
        {
            var server = new ShellServer(repo, Peer, new MemoryStream(Bytes($"STORE {key} {announced}\n", new byte[4_000], "")), new MemoryStream(), TimeProvider.System, NullLogger.Instance);
            await Assert.ThrowsAsync<EndOfStreamException>(() => server.RunAsync(CancellationToken.None));
        }

        // The sized key's partial is kept to resume (it can never outgrow the key); the unsized one is gone.
        Assert.Equal([(KeyFileName.Escape(sized), 4_000L)], TmpFiles(repo));
    }

    [Fact]
    public async Task StaleTempFilesGoAtShellStartButRecentOnesAndOnesATransferHoldsStay()
    {
        using var dir = new TempFolder();
        var repo = await ServerAsync(dir);
        var held = await KeyOfAsync(dir, "held by a transfer");
        Directory.CreateDirectory(repo.TmpDir);
        var old = DateTime.UtcNow - StaleTmpFiles.MaxAge - TimeSpan.FromHours(1);
        foreach (var (name, time) in new[] { ("stale", old), ("recent", DateTime.UtcNow - TimeSpan.FromDays(1)), (KeyFileName.Escape(held), old) })
        {
            File.WriteAllText(Path.Combine(repo.TmpDir, name), "partial");
            File.SetLastWriteTimeUtc(Path.Combine(repo.TmpDir, name), time);
        }
        using var transfer = new TransferRecordStore(repo, TimeProvider.System).TryBegin(new TransferId(TransferDirection.Download, Peer, held), null);
        Assert.NotNull(transfer);

        await new ShellServer(repo, null, new MemoryStream("QUIT\n"u8.ToArray()), new MemoryStream(), TimeProvider.System, NullLogger.Instance).RunAsync(CancellationToken.None);

        Assert.Equal([KeyFileName.Escape(held), "recent"], TmpFiles(repo).Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheDaemonRemovesStaleTempFilesAtStartAndKeepsRecentOnes()
    {
        using var dir = new TempFolder();
        var a = dir.Combine("a");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "a")).ExitCode);
        var tmp = Path.Combine(a, ".git", "annex", "tmp");
        Directory.CreateDirectory(tmp);
        File.WriteAllText(Path.Combine(tmp, "stale"), "left by a dead transfer");
        File.SetLastWriteTimeUtc(Path.Combine(tmp, "stale"), DateTime.UtcNow - StaleTmpFiles.MaxAge - TimeSpan.FromHours(1));
        File.WriteAllText(Path.Combine(tmp, "recent"), "a partial to resume");

        using var node = await WatchingNode.StartAsync(a); // ready once started: the clean-up runs before

        Assert.Equal(["recent"], Directory.GetFiles(tmp).Select(Path.GetFileName));
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task RemoveIsRefusedWithoutNumcopiesVerifiedCopiesAndHonouredWithThem()
    {
        using var dir = new TempFolder();
        var (server, other) = (dir.Combine("server"), dir.Combine("other"));
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "server")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "other")).ExitCode);
        PluginTestFiles.WriteRandom(Path.Combine(server, "big.bin"), 2 << 20);
        Assert.Equal(0, (await CliRunner.RunAsync(server, "sync")).ExitCode);
        var key = PluginTestFiles.KeyOf(Path.Combine(server, "big.bin"));

        var refused = await ShellProcessAsync(server, $"REMOVE {key}\nQUIT\n");
        Assert.Equal($"{ShellServer.Greeting}\nERROR REMOVE {key}: refused: only 0 other verified copies (none); numcopies is 1. Copy it to a remote first (tether sync)\n", refused.Out);
        Assert.True(PluginTestFiles.HasContent(Path.Combine(server, "big.bin")), refused.ToString());

        Assert.Equal(0, (await CliRunner.RunAsync(server, "remote", "add", "other", other)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(server, "sync")).ExitCode); // other now holds it
        var honoured = await ShellProcessAsync(server, $"REMOVE {key}\nQUIT\n");
        Assert.Equal($"{ShellServer.Greeting}\nOK\n", honoured.Out);
        Assert.False(PluginTestFiles.HasContent(Path.Combine(server, "big.bin")), honoured.ToString());
    }

    [Fact]
    public async Task APlainGitRepositoryIsRefusedAndNotTurnedIntoAnAnnexRepository()
    {
        using var dir = new TempFolder();
        var plain = dir.Combine("plain");
        GitCli.Run(dir.Path, "init", "-q", plain);
        var before = DiskSnapshot.Of(plain);

        var result = await ShellProcessAsync(plain, "CONFIGLIST\nQUIT\n");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Out);
        Assert.Equal($"tether: {plain} is a git repository but not a Tether or git-annex one (no annex.uuid); run 'tether init' there first; nothing was changed", result.Error.Trim());
        Assert.Equal(before, DiskSnapshot.Of(plain));
        Assert.False(Directory.Exists(Path.Combine(plain, ".git", "annex")));
    }

    private static async Task<AnnexRepository> ServerAsync(TempFolder dir) =>
        await new RepositoryInitializer(TimeProvider.System).InitializeAsync(dir.Combine("server"), "server", false, CancellationToken.None);

    private static async Task<Key> KeyOfAsync(TempFolder dir, string content)
    {
        var path = dir.Combine($"content-{content.Length}.txt");
        await File.WriteAllTextAsync(path, content);
        return await KeyHasher.ComputeSha256EAsync(path);
    }

    private static IReadOnlyList<(string Name, long Length)> TmpFiles(AnnexRepository repo) =>
        Directory.Exists(repo.TmpDir) ? new DirectoryInfo(repo.TmpDir).GetFiles().Select(f => (f.Name, f.Length)).ToList() : [];

    private static byte[] Bytes(string before, byte[] payload, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. payload, .. Encoding.UTF8.GetBytes(after)];

    /// <summary>The real `tether shell PATH` process, its stdin fed the script; bounded.</summary>
    private static async Task<CliRunner.Result> ShellProcessAsync(string path, string script)
    {
        var psi = new ProcessStartInfo(TetherProcess.ProgramPath) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "shell", path, "--peer-uuid", Peer }) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(Bounded);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.StandardInput.WriteAsync(script);
            process.StandardInput.Close();
        }
        catch (IOException) { } // it refused before reading
        try { await process.WaitForExitAsync(timeout.Token); }
        finally { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        return new CliRunner.Result(process.ExitCode, await stdout, await stderr);
    }
}
