using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Tether.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Tether.Tests.Safety;

/// <summary>
/// kill -9 of a real `tether sync` process at random moments while it annexes and commits: after every
/// kill each file's content is still whole (as the file or behind its annex link), and the next run
/// completes the job with a clean repository.
/// </summary>
public sealed class IngestCrashTests(ITestOutputHelper output)
{
    /// <summary>TETHER_TEST_SEED replays or varies a run.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("TETHER_TEST_SEED"), out var seed) ? seed : 20261125;

    [Fact]
    public async Task KillNineDuringIngestNeverLosesContentAndTheNextRunCompletes()
    {
        using var dir = new TempFolder();
        var repo = dir.Combine("repo");
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, "init", "--locked", "repo")).ExitCode);
        var config = Path.Combine(repo, ".tether", "config.yml");
        File.WriteAllText(config, Regex.Replace(File.ReadAllText(config), "larger_than: .*", "larger_than: 64KiB"));
        var random = new Random(Seed);
        var expected = WriteFiles(repo, random);

        for (var round = 0; round < 6; round++)
        {
            using (var sync = TetherProcess.Start(repo, "sync"))
            {
                await Task.Delay(random.Next(30, 500));
                var interrupted = !sync.HasExited;
                sync.KillHard();
                output.WriteLine($"round {round}: killed while running: {interrupted}");
            }
            AssertEveryFileWhole(repo, expected, $"after kill {round + 1} (seed {Seed})");
            AppendToOne(repo, expected, random);
            for (var i = 0; i < 4; i++) expected[$"big/round {round}-{i}.bin"] = Write(repo, $"big/round {round}-{i}.bin", random, 3 << 20);
        }

        var (code, log) = await TetherProcess.RunAsync(repo, TimeSpan.FromMinutes(2), "sync");
        Assert.True(code == 0, log);
        AssertEveryFileWhole(repo, expected, "after the final run");
        Assert.Equal("", GitCli.Run(repo, "status", "--porcelain").Trim());
        GitCli.Run(repo, "fsck", "--no-progress");
        Assert.Empty(Directory.EnumerateFiles(repo, ".tether-link-*", SearchOption.AllDirectories));
        foreach (var path in expected.Keys.Where(p => p.StartsWith("big", StringComparison.Ordinal)))
            Assert.NotNull(new FileInfo(Path.Combine(repo, path)).LinkTarget);
        if (GitCli.HasGitAnnex) GitCli.Run(repo, "annex", "fsck", "--quiet");
    }

    private static Dictionary<string, string> WriteFiles(string repo, Random random)
    {
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < 12; i++) expected[$"big/file {i}.bin"] = Write(repo, $"big/file {i}.bin", random, 3 << 20);
        for (var i = 0; i < 40; i++) expected[$"small/note-{i}.txt"] = Write(repo, $"small/note-{i}.txt", random, 2000);
        return expected;
    }

    private static string Write(string repo, string relative, Random random, int size)
    {
        var path = Path.Combine(repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[size];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }

    /// <summary>A change to a small file between crashes (big ones may be locked down, as after an ingest).</summary>
    private static void AppendToOne(string repo, Dictionary<string, string> expected, Random random)
    {
        var relative = $"small/note-{random.Next(40)}.txt";
        var path = Path.Combine(repo, relative);
        File.AppendAllText(path, "more\n");
        expected[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
    }

    private static void AssertEveryFileWhole(string repo, Dictionary<string, string> expected, string when)
    {
        foreach (var (relative, hash) in expected)
        {
            var path = Path.Combine(repo, relative);
            Assert.True(File.Exists(path), $"{relative} is missing {when}");
            Assert.True(hash == Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))), $"{relative} has other content {when}");
        }
    }
}
