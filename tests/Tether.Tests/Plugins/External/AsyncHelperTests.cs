using Tether.Platform.Hashing;
using Tether.Sdk.Backends;
using Tether.Sdk.Keys;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Plugins.External;

/// <summary>
/// The ASYNC extension (git-annex's <c>async_appendix</c>), against <c>Helpers/git-annex-remote-jobs</c>, a helper of
/// our own that speaks only ASYNC (it gives up when it is not offered), runs each job in a thread and answers out of
/// order: parallel requests share one process, every message carries its job number, replies and the helper's own
/// questions reach the job they name; a line for a job that was never started or is not running, a crash and a hang
/// fail the jobs running, clearly, and the next request starts a fresh process.
/// </summary>
public class AsyncHelperTests
{
    private static IContentBackend Backend(ExternalRemoteFixture remote, string program, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string> { ["tether-program"] = program, ["tether-request-timeout"] = "20", ["tether-processes"] = "4" };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return ExternalRemoteFixture.Factory().Create(remote.Describe(settings));
    }

    private static async Task<List<(Key Key, byte[] Content, string Path)>> FilesAsync(ExternalRemoteFixture remote, int count, string prefix = "f")
    {
        var files = new List<(Key, byte[], string)>();
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(remote.Root, $"{prefix}{i}.bin");
            var content = PluginTestFiles.WriteRandom(path, 150_000 + 1000 * i); // several PROGRESS lines each
            files.Add((await KeyHasher.ComputeSha256EAsync(path), content, path));
        }
        return files;
    }

    /// <summary>Where the helper stores a key: the DIRHASH it asked in that job's name, then the key.</summary>
    private static string Stored(string state, Key key) => Path.Combine(state, "store", HashDirs.Mixed(key), key.ToString());

    private static string[] Pids(string state) => File.ReadAllLines(Path.Combine(state, "pids"));

    private static string[] Transcript(string state) => File.ReadAllLines(Path.Combine(state, "transcript"));

    [Fact]
    public async Task ParallelStoresRunAsJobsOfOneHelperProcessAndOutOfOrderRepliesReachTheirJobs()
    {
        using var remote = new ExternalRemoteFixture();
        var state = Path.Combine(remote.Root, "jobs");
        var program = remote.JobsHelper(state, plan: "outoforder"); // the first TRANSFER is answered after another one
        await using var backend = Backend(remote, program);
        var files = await FilesAsync(remote, 4);

        var progress = files.Select(_ => new RecordedProgress()).ToArray();
        await Task.WhenAll(files.Select((f, i) => backend.StoreAsync(f.Key, f.Path, progress[i], CancellationToken.None)));
        for (var i = 0; i < files.Count; i++)
        {
            Assert.Equal(files[i].Content, File.ReadAllBytes(Stored(state, files[i].Key)));
            Assert.Equal(files[i].Content.Length, progress[i].Values[^1]);
            Assert.Contains(65536L, progress[i].Values); // the job's own PROGRESS lines, not another's
        }

        var transcript = Transcript(state);
        Assert.Equal($"< EXTENSIONS INFO GETGITREMOTENAME ASYNC", transcript[1]);
        Assert.Equal("> EXTENSIONS INFO ASYNC", transcript[2]);
        Assert.Equal("< J 1 PREPARE", transcript[3]); // PREPARE once, as job 1
        Assert.All(transcript.Skip(3), line => Assert.Matches(@"^[<>] J \d+ ", line));
        var requests = transcript.Where(l => l.StartsWith("< J ") && l.Contains(" TRANSFER STORE ")).ToList();
        Assert.Equal(4, requests.Count);
        Assert.True(requests.Select(JobOf).Distinct().Count() >= 2, "the transfers did not run as jobs at once");
        var (firstJob, firstKey) = (JobOf(requests[0]), files.Single(f => requests[0].Contains($" {f.Key} ")).Key);
        var replies = transcript.Where(l => l.StartsWith("> J ") && l.Contains(" TRANSFER-SUCCESS ")).ToList();
        Assert.NotEqual($"> J {firstJob} TRANSFER-SUCCESS STORE {firstKey}", replies[0]); // answered out of order...
        Assert.Contains($"> J {firstJob} TRANSFER-SUCCESS STORE {firstKey}", replies); // ...and the first job got its own reply

        // Checks, retrievals and removals in parallel on the same process.
        Assert.All(await Task.WhenAll(files.Select(f => backend.HasKeyAsync(f.Key, CancellationToken.None))), Assert.True);
        var back = files.Select(f => f.Path + ".back").ToArray();
        await Task.WhenAll(files.Select((f, i) => backend.RetrieveAsync(f.Key, back[i], new RecordedProgress(), CancellationToken.None)));
        for (var i = 0; i < files.Count; i++) Assert.Equal(files[i].Content, File.ReadAllBytes(back[i]));
        await Task.WhenAll(files.Select(f => backend.RemoveAsync(f.Key, CancellationToken.None)));
        Assert.All(await Task.WhenAll(files.Select(f => backend.HasKeyAsync(f.Key, CancellationToken.None))), Assert.False);

        Assert.Single(Pids(state)); // one helper process for every parallel request
        Assert.Equal(1, ExternalRemoteFixture.ProcessesStarted(backend));
    }

    [Fact]
    public async Task SetUpRunsInitremoteAndPrepareAsJobOneOfTheirProcesses()
    {
        using var remote = new ExternalRemoteFixture();
        var state = Path.Combine(remote.Root, "jobs");
        var program = remote.JobsHelper(state);
        var setup = await ExternalRemoteFixture.Factory().InitializeAsync(remote.Describe(new Dictionary<string, string> { ["tether-program"] = program }), CancellationToken.None);
        Assert.Null(setup.Cost); // GETCOST: UNSUPPORTED-REQUEST
        var received = Transcript(state).Where(l => l.StartsWith("< ")).ToList();
        Assert.Equal(["< EXTENSIONS INFO GETGITREMOTENAME ASYNC", "< J 1 INITREMOTE",
            "< EXTENSIONS INFO GETGITREMOTENAME ASYNC", "< J 1 PREPARE", "< J 1 GETCOST", "< J 1 GETAVAILABILITY"], received);
        Assert.Equal(2, Pids(state).Length); // INITREMOTE on a process of its own, as git-annex's initremote
    }

    /// <summary>What the helper does wrong once two jobs run: every running job fails naming what, and the next store gets a fresh process.</summary>
    [Theory]
    [InlineData("unknownjob", "the helper sent 'J 99 TRANSFER-SUCCESS STORE SHA256E-", "for job 99, which was never started")]
    [InlineData("untagged", @"the helper sent 'HELLO \x01 WORLD', which names no job", "(it took ASYNC: every message must be 'J <job> <message>')")]
    [InlineData("longline", "the helper sent a line over 64 KiB", "")]
    [InlineData("error", "the helper reported an error: the bucket is on fire", "")]
    public async Task WhatTheHelperGetsWrongFailsEveryRunningJobNamingRemoteProgramRequestAndLineAndTheNextStoreWorks(string plan, string what, string more)
    {
        using var remote = new ExternalRemoteFixture();
        var state = Path.Combine(remote.Root, "jobs");
        var program = remote.JobsHelper(state, plan);
        await using var backend = Backend(remote, program);
        var files = await FilesAsync(remote, 3);

        var stores = files.Take(2).Select(f => backend.StoreAsync(f.Key, f.Path, new RecordedProgress(), CancellationToken.None)).ToList();
        foreach (var (store, file) in stores.Zip(files))
        {
            var e = await Assert.ThrowsAnyAsync<IOException>(() => store);
            Assert.StartsWith($"remote 'cloud' ({program}): TRANSFER STORE {file.Key}: {what}", e.Message);
            Assert.Contains(more, e.Message);
        }

        await backend.StoreAsync(files[2].Key, files[2].Path, new RecordedProgress(), CancellationToken.None);
        Assert.Equal(files[2].Content, File.ReadAllBytes(Stored(state, files[2].Key)));
        Assert.Equal(2, Pids(state).Length);
        Assert.Equal(2, ExternalRemoteFixture.ProcessesStarted(backend));
    }

    [Fact]
    public async Task AReplyForAJobThatIsNotRunningAnyMoreFailsTheJobsStillRunning()
    {
        using var remote = new ExternalRemoteFixture();
        var state = Path.Combine(remote.Root, "jobs");
        var program = remote.JobsHelper(state, plan: "strayreply"); // once one TRANSFER is answered, its reply comes again
        await using var backend = Backend(remote, program);
        var files = await FilesAsync(remote, 2);

        var results = await Task.WhenAll(files.Select(async f =>
        {
            try
            {
                await backend.StoreAsync(f.Key, f.Path, new RecordedProgress(), CancellationToken.None);
                return null;
            }
            catch (IOException e) { return e.Message; }
        }));
        var answered = files[Array.IndexOf(results, null)];
        var failure = Assert.Single(results, r => r is not null)!;
        Assert.Contains($"remote 'cloud' ({program}): TRANSFER STORE ", failure);
        Assert.Matches($@"the helper sent 'J (\d+) TRANSFER-SUCCESS STORE {answered.Key}' for job \1, which is not running", failure);
        Assert.Equal(answered.Content, File.ReadAllBytes(Stored(state, answered.Key)));

        Assert.False(await backend.HasKeyAsync(files.Single(f => f != answered).Key, CancellationToken.None));
        Assert.Equal(2, ExternalRemoteFixture.ProcessesStarted(backend)); // the confused process was dropped
    }

    [Fact]
    public async Task AHelperThatCrashesMidJobFailsEveryRunningJobWithItsExitAndStderrAndTheNextStoreStartsAFreshOne()
    {
        using var remote = new ExternalRemoteFixture();
        var state = Path.Combine(remote.Root, "jobs");
        var program = remote.JobsHelper(state, plan: "crash");
        await using var backend = Backend(remote, program);
        var files = await FilesAsync(remote, 2);

        var stores = files.Select(f => backend.StoreAsync(f.Key, f.Path, new RecordedProgress(), CancellationToken.None)).ToList();
        foreach (var (store, file) in stores.Zip(files))
        {
            var e = await Assert.ThrowsAnyAsync<IOException>(() => store);
            Assert.Equal($"remote 'cloud' ({program}): TRANSFER STORE {file.Key}: the helper exited (status 3); its stderr: lost the bucket", e.Message);
        }

        await Task.WhenAll(files.Select(f => backend.StoreAsync(f.Key, f.Path, new RecordedProgress(), CancellationToken.None)));
        foreach (var f in files) Assert.Equal(f.Content, File.ReadAllBytes(Stored(state, f.Key)));
        Assert.Equal(2, Pids(state).Length);
        Assert.Equal(2, ExternalRemoteFixture.ProcessesStarted(backend));
    }

    [Fact]
    public async Task EachJobHasItsOwnDeadlineAndAJobThatHangsStopsTheProcessNotTheOthersAnswers()
    {
        using var remote = new ExternalRemoteFixture();
        var state = Path.Combine(remote.Root, "jobs");
        var program = remote.JobsHelper(state, plan: "hangcheck"); // CHECKPRESENT is never answered; transfers are
        await using var backend = Backend(remote, program, new() { ["tether-request-timeout"] = "5" });
        var files = await FilesAsync(remote, 2);

        var check = backend.HasKeyAsync(files[0].Key, CancellationToken.None);
        await backend.StoreAsync(files[1].Key, files[1].Path, new RecordedProgress(), CancellationToken.None); // while the check hangs
        Assert.False(check.IsCompleted);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => check);
        Assert.Contains($"remote 'cloud' ({program}): CHECKPRESENT {files[0].Key}: the helper gave no answer to CHECKPRESENT {files[0].Key} within 5 s; stopped", e.Message);
        Assert.Equal(files[1].Content, File.ReadAllBytes(Stored(state, files[1].Key)));

        Assert.True(await backend.HasKeyAsync(files[1].Key, CancellationToken.None)); // a fresh process
        Assert.Equal(2, ExternalRemoteFixture.ProcessesStarted(backend));
    }

    /// <summary>The protocol cannot stop one job: a cancelled request stops the process (as git-annex does), the other jobs fail saying why.</summary>
    [Fact]
    public async Task ACancelledJobStopsTheProcessAndTheOtherRunningJobsFailNamingItAndTheNextRequestWorks()
    {
        using var remote = new ExternalRemoteFixture();
        var state = Path.Combine(remote.Root, "jobs");
        var program = remote.JobsHelper(state, plan: "hangcheck");
        await using var backend = Backend(remote, program);
        var files = await FilesAsync(remote, 2);

        using var cancel = new CancellationTokenSource();
        var cancelled = backend.HasKeyAsync(files[0].Key, cancel.Token);
        var other = backend.HasKeyAsync(files[1].Key, CancellationToken.None);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(state, "transcript")) && Transcript(state).Count(l => l.Contains(" CHECKPRESENT ")) == 2,
            TimeSpan.FromSeconds(20), () => "the helper never had both checks running");
        var job = JobOf(Transcript(state).Single(l => l.Contains($" CHECKPRESENT {files[0].Key}")));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var e = await Assert.ThrowsAnyAsync<IOException>(() => other);
        Assert.Equal($"remote 'cloud' ({program}): CHECKPRESENT {files[1].Key}: stopped with the helper, which, during CHECKPRESENT {files[0].Key} (job {job}), " +
                     "was stopped because that request was cancelled (the protocol cannot stop one job)", e.Message);
        await Eventually.TrueAsync(() => !File.Exists($"/proc/{Pids(state)[0]}/stat") || File.ReadAllText($"/proc/{Pids(state)[0]}/stat").Contains(") Z "),
            TimeSpan.FromSeconds(10), () => "the helper outlived the cancel");

        await backend.StoreAsync(files[1].Key, files[1].Path, new RecordedProgress(), CancellationToken.None); // a fresh process (it has no plan)
        Assert.Equal(files[1].Content, File.ReadAllBytes(Stored(state, files[1].Key)));
        Assert.Equal(2, ExternalRemoteFixture.ProcessesStarted(backend));
    }

    /// <summary>A helper that does not take ASYNC is spoken to as before: untagged, a process per parallel request.</summary>
    [Fact]
    public async Task AHelperWithoutAsyncGetsUntaggedRequestsAndAProcessPerParallelRequest()
    {
        using var remote = new ExternalRemoteFixture();
        var store = Path.Combine(remote.Root, "plain");
        var received = Path.Combine(remote.Root, "received");
        Directory.CreateDirectory(store);
        // Each TRANSFER waits (up to 20 s) until another process has one running too: parallel requests, parallel processes.
        var program = remote.Script("plain", $$"""
            echo VERSION 1
            while IFS= read -r line; do
              echo "$$ $line" >> '{{received}}'
              set -- $line
              case "$1" in
                EXTENSIONS) echo "EXTENSIONS INFO" ;;
                PREPARE) echo PREPARE-SUCCESS ;;
                TRANSFER)
                  touch '{{store}}'/running.$$
                  for i in $(seq 400); do [ "$(ls '{{store}}' | grep -c '^running')" -ge 2 ] && break; sleep 0.05; done
                  cp "${line#TRANSFER STORE $3 }" '{{store}}'/"$3"; echo "TRANSFER-SUCCESS $2 $3" ;;
                *) echo UNSUPPORTED-REQUEST ;;
              esac
            done
            """);
        await using var backend = Backend(remote, program, new() { ["tether-processes"] = "2" });
        var files = await FilesAsync(remote, 2);

        await Task.WhenAll(files.Select(f => backend.StoreAsync(f.Key, f.Path, new RecordedProgress(), CancellationToken.None)));
        foreach (var f in files) Assert.Equal(f.Content, File.ReadAllBytes(Path.Combine(store, f.Key.ToString())));
        var lines = File.ReadAllLines(received).Select(l => l.Split(' ', 2)).ToList();
        Assert.Equal(2, lines.Select(l => l[0]).Distinct().Count());
        Assert.Equal(2, ExternalRemoteFixture.ProcessesStarted(backend));
        Assert.Contains(lines, l => l[1] == "EXTENSIONS INFO GETGITREMOTENAME ASYNC");
        Assert.Equal(2, lines.Count(l => l[1] == "PREPARE"));
        Assert.DoesNotContain(lines, l => l[1].StartsWith("J ", StringComparison.Ordinal));
    }

    private static string JobOf(string transcriptLine) => transcriptLine.Split(' ')[2];
}
