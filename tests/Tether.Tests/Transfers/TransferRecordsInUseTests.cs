using System.Text.RegularExpressions;
using Tether.Kernel.Annex;
using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers.Records;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;
using Tether.Platform.Hashing;

namespace Tether.Tests.Transfers;

/// <summary>
/// Transfer records as processes use them: real `tether` processes on a bandwidth-limited local remote, so a
/// transfer lasts long enough to be seen, contended, killed and resumed.
/// </summary>
public sealed class TransferRecordsInUseTests
{
    private const int Size = 12 << 20; // 12 MiB at 4 MiB/s: 3 s
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    /// <summary>"remote" holds big.bin; "local" knows the file (git synced) but not its content, and reaches remote slowly.</summary>
    private static async Task<(string Local, string Remote, Key Key)> SlowPairAsync(TempFolder dir, string slowRemoteOf = "local", string rate = "4MiB/s") // "none": no bandwidth limit set
    {
        var (local, remote) = (dir.Combine("local"), dir.Combine("remote"));
        foreach (var name in new[] { "local", "remote" }) Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", name)).ExitCode);
        var data = new byte[Size];
        new Random(3).NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(remote, "big.bin"), data);
        Assert.Equal(0, (await CliRunner.RunAsync(remote, "sync")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(local, "remote", "add", "remote", remote)).ExitCode);
        if (slowRemoteOf == "local") SlowDown(local, "remote", rate);
        var sync = await CliRunner.RunAsync(local, "sync", "--no-content");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        AnnexLink.TryReadLink(Path.Combine(local, "big.bin"), out var key);
        Assert.NotNull(key);
        return (local, remote, key);
    }

    private static void SlowDown(string repo, string remoteName, string rate = "4MiB/s")
    {
        var config = Path.Combine(repo, ".tether", "config.yml");
        var slowed = Regex.Replace(File.ReadAllText(config), $@"(- name: {remoteName}\n(\s+)url: .*\n)", $"$1$2bandwidth_limit: {rate}\n");
        Assert.Contains($"bandwidth_limit: {rate}", slowed);
        File.WriteAllText(config, slowed);
    }

    private static TransferRecordStore Records(string repo) => new(AnnexRepository.Open(repo), TimeProvider.System);

    private static long PartialBytes(string repo, Key key)
    {
        var tmp = new ObjectStore(AnnexRepository.Open(repo)).TmpPathFor(key);
        return File.Exists(tmp) ? new FileInfo(tmp).Length : 0;
    }

    [Fact]
    public async Task TwoProcessesWantingTheSameDownloadRunItOnce()
    {
        using var dir = new TempFolder();
        // 12 MiB at 1 MiB/s: the first get runs for 12 s, long enough for a second process to start on a loaded machine.
        var (local, _, key) = await SlowPairAsync(dir, rate: "1MiB/s");
        using var first = TetherProcess.Start(local, "get", "big.bin");
        await Eventually.TrueAsync(() => Records(local).List().Any(r => r.Running), Soon, first.Describe);

        var second = await TetherProcess.RunAsync(local, Soon, "get", "big.bin");
        // it saw the other process's record and did not start the same transfer
        Assert.True(second.ExitCode == 1, $"second get: exit {second.ExitCode}, {second.Output}\nfirst: {first.Describe()}");
        Assert.Contains("another process is fetching it", second.Output, StringComparison.Ordinal);
        await first.WaitForExitAsync(2 * Soon);
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.True(new ObjectStore(AnnexRepository.Open(local)).Contains(key));
    }

    [Fact]
    public async Task AnUploadTetherRunsIsNotStartedAgainByGitAnnex()
    {
        if (!GitCli.HasGitAnnex) throw new InvalidOperationException("git-annex is missing: run-tests installs it (apt package git-annex)");
        using var dir = new TempFolder();
        var (local, remote, key) = await SlowPairAsync(dir, slowRemoteOf: "none");
        // "remote" holds the content and reaches "local" slowly: its sync uploads big.bin at 4 MiB/s.
        Assert.Equal(0, (await CliRunner.RunAsync(remote, "remote", "add", "local", local)).ExitCode);
        SlowDown(remote, "local");
        using var upload = TetherProcess.Start(remote, "sync", "local");
        await Eventually.TrueAsync(() => Records(remote).List().Any(r => r.Running && r.Id.Direction == Kernel.Transfers.TransferDirection.Upload), Soon, upload.Describe);

        // The receiving side's record is in "local": its own daemon would see it and not fetch the key meanwhile.
        // (written just after the sender's own record: waited for, not read once; this failed once under load)
        await Eventually.TrueAsync(() => Records(local).List().Any(r => r.Running && r.Id.Direction == Kernel.Transfers.TransferDirection.Download && r.Id.Key == key), Soon, upload.Describe);

        var (code, output) = GitCli.TryRun(remote, "annex", "copy", "--to", "local", "big.bin");
        Assert.NotEqual(0, code);
        Assert.Contains("transfer already in progress", output);
        await upload.WaitForExitAsync(Soon);
        Assert.True(upload.ExitCode == 0, upload.Describe());
        Assert.True(new ObjectStore(AnnexRepository.Open(local)).Contains(key));
    }

    [Fact]
    public async Task AKilledDownloadIsRecordedAsFailedAndTheRetryResumesAndVerifies()
    {
        using var dir = new TempFolder();
        var (local, _, key) = await SlowPairAsync(dir);
        using (var get = TetherProcess.Start(local, "get", "big.bin"))
        {
            await Eventually.TrueAsync(() => PartialBytes(local, key) > 2 << 20, Soon, get.Describe);
            get.KillHard();
        }
        var partial = PartialBytes(local, key);
        Assert.InRange(partial, 2 << 20, Size - 1);
        Assert.Equal(1, Records(local).RecoverDead());
        Assert.Single(Records(local).ListFailed());

        var retry = await TetherProcess.RunAsync(local, Soon, "get", "big.bin");
        Assert.True(retry.ExitCode == 0, retry.Output);
        Assert.Equal(Size, File.ReadAllBytes(Path.Combine(local, "big.bin")).Length);
        Assert.Empty(Records(local).ListFailed()); // a later success clears the failure
        Assert.Empty(Records(local).List());
    }

    [Fact]
    public async Task ADamagedPartialIsRefetchedAndWrongBytesFromARemoteAreNeverInstalled()
    {
        using var dir = new TempFolder();
        var (local, remote, key) = await SlowPairAsync(dir);
        var store = new ObjectStore(AnnexRepository.Open(local));
        Directory.CreateDirectory(Path.GetDirectoryName(store.TmpPathFor(key))!);
        File.WriteAllBytes(store.TmpPathFor(key), new byte[1 << 20]); // a "partial" of zeros: wrong bytes
        var get = await TetherProcess.RunAsync(local, Soon, "get", "big.bin");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.True(await KeyHasher.VerifyAsync(key, store.FindContent(key)!, CancellationToken.None));

        // Now the remote serves wrong bytes: a fresh clone must reject them.
        var other = dir.Combine("other");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "other")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(other, "remote", "add", "remote", remote)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(other, "sync", "--no-content")).ExitCode);
        var served = new ObjectStore(AnnexRepository.Open(remote)).FindContent(key)!;
        File.SetUnixFileMode(Path.GetDirectoryName(served)!, (UnixFileMode)0x1C0);
        File.SetUnixFileMode(served, (UnixFileMode)0x180);
        using (var stream = new FileStream(served, FileMode.Open, FileAccess.Write)) { stream.Position = 100; stream.WriteByte(0x42); stream.WriteByte(0x43); }
        var bad = await CliRunner.RunAsync(other, "get", "big.bin");
        Assert.Equal(1, bad.ExitCode);
        Assert.False(new ObjectStore(AnnexRepository.Open(other)).Contains(key));
        Assert.False(File.Exists(new ObjectStore(AnnexRepository.Open(other)).TmpPathFor(key)));
    }

    [Fact]
    public async Task StatusJsonListsATransferAnotherProcessRunsWithGrowingBytes()
    {
        using var dir = new TempFolder();
        var (local, _, _) = await SlowPairAsync(dir, rate: "1MiB/s"); // 12 s: time for a daemon to start on a loaded machine
        using var get = TetherProcess.Start(local, "get", "big.bin");
        await Eventually.TrueAsync(() => Records(local).List().Any(r => r.Running), Soon, get.Describe);
        using var node = await WatchingNode.StartAsync(local);

        long? firstBytes = null;
        await Eventually.TrueAsync(async () =>
        {
            var status = await CliRunner.RunAsync(local, "status", "--json");
            var match = Regex.Match(status.Out, $@"""file"":""big.bin"",""remote"":""remote"",""running"":true,""bytes"":(\d+)[^}}]*""process"":""pid {get.Id}""");
            if (!match.Success) return false;
            var bytes = long.Parse(match.Groups[1].Value);
            firstBytes ??= bytes;
            return bytes > firstBytes;
        }, Soon, () => $"{node.Daemon.Describe()}\n{get.Describe()}");
        await get.WaitForExitAsync(Soon);
        Assert.Equal(0, await node.StopAsync());
    }
}
