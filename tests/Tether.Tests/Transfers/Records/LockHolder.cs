using System.Diagnostics;

namespace Tether.Tests.Transfers.Records;

/// <summary>
/// Another process holding a transfer lock the way git-annex does: python's fcntl.lockf is a POSIX fcntl write lock
/// on the whole file. Optionally writes an info file first. Exits when its stdin closes, or is killed.
/// </summary>
internal sealed class LockHolder : IDisposable
{
    private const string Script = """
import fcntl, os, sys
f = open(sys.argv[1], 'a+')
fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
if len(sys.argv) > 2:
    with open(sys.argv[2], 'w') as info:
        info.write(sys.argv[3])
print('locked', flush=True)
sys.stdin.read()
""";

    private readonly Process _process;

    private LockHolder(Process process) => _process = process;

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static LockHolder Start(string lockPath, string? infoPath = null, string? infoContent = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var psi = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(lockPath);
        if (infoPath is not null) { psi.ArgumentList.Add(infoPath); psi.ArgumentList.Add(infoContent ?? ""); }
        var process = Process.Start(psi)!;
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        if (line != "locked")
        {
            process.Kill();
            throw new InvalidOperationException($"the lock holder did not lock: {line} {process.StandardError.ReadToEnd()}");
        }
        return new LockHolder(process);
    }

    /// <summary>Lets it exit normally (its lock goes with it).</summary>
    public void Exit()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(20))) throw new TimeoutException("the lock holder did not exit");
    }

    public void KillHard()
    {
        _process.Kill(); // SIGKILL
        if (!_process.WaitForExit(TimeSpan.FromSeconds(20))) throw new TimeoutException("the lock holder did not die");
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(); _process.WaitForExit(TimeSpan.FromSeconds(5)); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
