using Tether.Platform.Processes;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.Platform;

/// <summary>The one process runner: argument lists, stdin, timeouts and cancellation that leave no process behind.</summary>
public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task ArgumentsAreNeverSplitOrInterpretedAndStdinIsFedAsUtf8()
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "printf '%s|' \"$@\"; cat", "sh", "a b", "$HOME", "'; rm -rf x"])
        {
            StandardInput = "héllo",
        }, CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a b|$HOME|'; rm -rf x|héllo", result.Stdout);
    }

    [Fact]
    public async Task CancellationKillsTheWholeTreeAndThrows()
    {
        using var dir = new TempFolder();
        var pidFile = dir.Combine("child.pid");
        using var cts = new CancellationTokenSource();
        var run = ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", $"sleep 60 & echo $! > '{pidFile}'; wait"]), cts.Token);
        await Eventually.TrueAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), TimeSpan.FromSeconds(10), () => "the script never wrote its child's pid");
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await Eventually.TrueAsync(() => Gone(child), TimeSpan.FromSeconds(10),
            () => $"the child {child} outlived the cancelled run");
    }

    [Fact]
    public async Task ATimeoutEndsTheRunWithoutAnExitCodeEvenWhenAChildHoldsTheOutput()
    {
        var started = DateTime.UtcNow;
        var result = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "echo started; sleep 60 & exit 0"])
        {
            Timeout = TimeSpan.FromMilliseconds(500),
            OwnProcessGroup = true,
        }, CancellationToken.None);
        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.Equal("started\n", result.Stdout);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AMissingProgramIsNamedWithHowToInstallIt()
    {
        var e = await Assert.ThrowsAsync<ProcessStartException>(() =>
            ProcessRunner.RunAsync(new ProcessSpec("no-such-program-tether", []) { MissingHint = "install it with 'apt-get install nothing'" }, CancellationToken.None));
        Assert.StartsWith("cannot run 'no-such-program-tether' (", e.Message);
        Assert.EndsWith("): install it with 'apt-get install nothing'", e.Message);
    }

    [Fact]
    public async Task ACombinedCapKeepsTheLastBytesOfBothStreamsAndCountsAll()
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "head -c 100000 /dev/zero | tr '\\0' x; echo; echo tail >&2"])
        {
            CombinedOutputCap = 1024,
        }, CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(100006, result.OutputBytes);
        Assert.Equal(1024, result.Stdout.Length);
        Assert.EndsWith("x\ntail\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    /// <summary>No such process, or only its zombie left for its new parent to reap.</summary>
    private static bool Gone(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return true; }
    }
}
