using System.Diagnostics;
using System.Text;

namespace Tether.Tests.Support;

/// <summary>
/// The real `tether` program as a child process (the apphost built next to the tests), for tests that
/// need a separate process: kill -9, a daemon running beside the test, two processes contending.
/// </summary>
public sealed class TetherProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private TetherProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "tether");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>For assertion messages: the process's state and everything it printed.</summary>
    public string Describe() => $"tether pid {_process.Id} {(HasExited ? $"exited {ExitCode}" : "running")}; output:\n{Output}";

    public static TetherProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, null, args);

    /// <summary>Starts tether with extra environment variables (e.g. TETHER_SSH_CONFIG for the test sshd).</summary>
    public static TetherProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartUnder([], workingDirectory, environment, args);

    /// <summary>Starts tether through a launcher that execs it (e.g. <c>unshare --mount --propagation private</c>: same pid, own mount namespace).</summary>
    public static TetherProcess StartUnder(IReadOnlyList<string> launcher, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : ProgramPath)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var arg in launcher.Skip(1)) psi.ArgumentList.Add(arg);
        if (launcher.Count > 0) psi.ArgumentList.Add(ProgramPath);
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        var process = Process.Start(psi)!;
        process.StandardInput.Close();
        return new TetherProcess(process);
    }

    /// <summary>Runs to the end (bounded) and returns the exit code.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunAsync(workingDirectory, timeout, null, args);

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        await process.WaitForExitAsync(timeout);
        return (process.ExitCode, process.Output);
    }

    /// <summary>SIGKILL: no chance to clean up, as after a power cut.</summary>
    public void KillHard()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGKILL to tether and every process it started (rsync, gpg, git): a power cut, nothing finishes after it.</summary>
    public void KillTreeHard()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: the clean stop a service manager sends.</summary>
    public void Terminate()
    {
        if (!_process.HasExited) Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit(5_000);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            KillHard();
            throw new TimeoutException($"tether did not exit within {timeout}; output:\n{Output}");
        }
        _process.WaitForExit(); // flushes the asynchronous output readers
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }
}
