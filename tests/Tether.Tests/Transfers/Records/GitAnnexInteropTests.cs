using System.Diagnostics;
using Tether.Kernel.Repositories;
using Tether.Kernel.Transfers;
using Tether.Kernel.Transfers.Records;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Transfers.Records;

/// <summary>Real git-annex as the oracle: it sees our records and locks, we see its.</summary>
public class GitAnnexInteropTests
{
    /// <summary>A git-annex repository with a file and an rsync special remote "slow" (to a local folder), uploads throttled.</summary>
    private sealed class AnnexNode : IDisposable
    {
        private readonly TempFolder _temp = new();

        public AnnexNode(int megabytes)
        {
            Assert.True(GitCli.HasGitAnnex, "git-annex is not installed: run the README test command (it installs the apt package git-annex)");
            GitCli.Run(_temp.Path, "init", "-q", "-b", "main", "repo");
            Path = _temp.Combine("repo");
            GitCli.Run(Path, "annex", "init", "-q", "records-test");
            var dest = _temp.Combine("dest");
            Directory.CreateDirectory(dest);
            GitCli.Run(Path, "annex", "initremote", "slow", "type=rsync", "rsyncurl=" + dest, "encryption=none");
            GitCli.Run(Path, "config", "annex.rsync-upload-options", "--bwlimit=200"); // KiB/s: a few MiB take many seconds
            var content = new byte[megabytes << 20];
            Random.Shared.NextBytes(content);
            File.WriteAllBytes(System.IO.Path.Combine(Path, "big"), content);
            GitCli.Run(Path, "annex", "add", "-q", "big");
            GitCli.Run(Path, "commit", "-q", "-m", "big");
            Key = Key.Parse(GitCli.Run(Path, "annex", "lookupkey", "big").Trim());
            RemoteUuid = GitCli.Run(Path, "config", "remote.slow.annex-uuid").Trim();
            Repo = AnnexRepository.Open(Path);
        }

        public string Path { get; }
        public AnnexRepository Repo { get; }
        public Key Key { get; }
        public string RemoteUuid { get; }
        public TransferId Upload => new(TransferDirection.Upload, RemoteUuid, Key);

        /// <summary>Starts git-annex itself (not through git), so its pid is the lock holder's.</summary>
        public Process StartGitAnnex(params string[] args)
        {
            var psi = new ProcessStartInfo("git-annex") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var arg in args) psi.ArgumentList.Add(arg);
            psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Test";
            psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
            var process = Process.Start(psi)!;
            process.StandardInput.Close();
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        public string TransfersInProgress()
        {
            var info = GitCli.Run(Path, "annex", "info", "--fast");
            var start = info.IndexOf("transfers in progress:", StringComparison.Ordinal);
            Assert.True(start >= 0, info);
            var end = info.IndexOf("available local disk space", start, StringComparison.Ordinal);
            return (end < 0 ? info[start..] : info[start..end]).Trim();
        }

        public void Dispose() => _temp.Dispose();
    }

    [Fact]
    public async Task GitAnnexTransferIsSeenRunningWithItsPidAndGrowingBytesThenDeadWhenKilled()
    {
        using var node = new AnnexNode(megabytes: 4);
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        var id = node.Upload;
        using var gitAnnex = node.StartGitAnnex("copy", "--to", "slow", "big");
        try
        {
            await Eventually.TrueAsync(() => File.Exists(store.InfoPath(id)), TimeSpan.FromSeconds(60),
                () => $"git-annex wrote no record at {store.InfoPath(id)}");
            await Eventually.TrueAsync(() => store.List().Any(s => s.Id == id && s.Info.BytesDone > 0), TimeSpan.FromSeconds(20),
                () => "no bytes in git-annex's record");
            var first = Assert.Single(store.List());
            Assert.Equal(id, first.Id);
            Assert.True(first.Running);
            Assert.Equal(gitAnnex.Id, first.Pid); // the holder per F_GETLK
            Assert.Equal("big", first.Info.AssociatedFile);
            Assert.True(first.Info.StartedAt > DateTimeOffset.UtcNow.AddMinutes(-5) && first.Info.StartedAt <= DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.True(ProcLocks.PosixWriteLockHeld(gitAnnex.Id, store.LockPath(id)));

            // The same transfer cannot be started here while git-annex runs it.
            Assert.Null(store.TryBegin(id, "big"));
            Assert.Equal(0, store.RecoverDead());

            await Eventually.TrueAsync(() => store.List().Single().Info.BytesDone > first.Info.BytesDone, TimeSpan.FromSeconds(20),
                () => $"bytes stayed at {first.Info.BytesDone}");
            Assert.True(store.List().Single().Running);

            gitAnnex.Kill(entireProcessTree: true); // SIGKILL, rsync children included
            Assert.True(gitAnnex.WaitForExit(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            if (!gitAnnex.HasExited) gitAnnex.Kill(entireProcessTree: true);
        }

        var dead = Assert.Single(store.List());
        Assert.False(dead.Running);
        Assert.Null(dead.Pid);
        var written = File.ReadAllBytes(store.InfoPath(id));
        Assert.Equal(1, store.RecoverDead());
        Assert.Equal(written, File.ReadAllBytes(store.FailedPath(id)));
        Assert.False(File.Exists(store.LockPath(id)));
        Assert.Empty(store.List());
        var failed = Assert.Single(store.ListFailed());
        Assert.Equal(id, failed.Id);
        Assert.True(failed.Info.BytesDone > 0);
        Assert.Equal("transfers in progress: none", node.TransfersInProgress());
    }

    [Fact]
    public void GitAnnexSeesOurTransferAndDoesNotStartIt()
    {
        using var node = new AnnexNode(megabytes: 1);
        var store = new TransferRecordStore(node.Repo, TimeProvider.System);
        Assert.Equal("transfers in progress: none", node.TransfersInProgress());

        using (var upload = store.TryBegin(node.Upload, "big"))
        using (var download = store.TryBegin(node.Upload with { Direction = TransferDirection.Download }, "big"))
        {
            Assert.NotNull(upload);
            Assert.NotNull(download);
            upload!.ReportBytes(1 << 20);
            var shown = node.TransfersInProgress();
            Assert.Contains("uploading big to slow", shown);
            Assert.Contains("downloading big from slow", shown);

            // A second process that wants the same transfer sees our lock and does not start it.
            var (code, output) = GitCli.TryRun(node.Path, "annex", "copy", "--to", "slow", "big");
            Assert.NotEqual(0, code);
            Assert.Contains("transfer already in progress", output);
            Assert.True(store.IsRunning(node.Upload)); // git-annex's probing did not take or drop our lock
            Assert.True(ProcLocks.PosixWriteLockHeld(Environment.ProcessId, store.LockPath(node.Upload)));
            upload.Complete();
            download!.Complete();
        }
        Assert.Equal("transfers in progress: none", node.TransfersInProgress());
        GitCli.Run(node.Path, "annex", "copy", "--to", "slow", "big"); // free again
    }
}
