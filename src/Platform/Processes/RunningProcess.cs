using System.Diagnostics;

namespace Tether.Platform.Processes;

/// <summary>
/// A program started by <see cref="ProcessRunner.Start"/>, still running: its stdin and stdout as streams (the caller
/// speaks its protocol), its stderr kept as a capped tail. Disposing kills it (with everything it started) if it
/// has not exited.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    public const int StderrCapBytes = 64 * 1024;

    private readonly Process _process;
    private readonly int _groupId;
    private readonly OutputTail _stderr = new(StderrCapBytes);
    private readonly Task _stderrDrain;

    internal RunningProcess(Process process, int groupId)
    {
        _process = process;
        _groupId = groupId;
        _stderrDrain = DrainStderrAsync();
    }

    public Stream Input => _process.StandardInput.BaseStream;

    public Stream Output => _process.StandardOutput.BaseStream;

    public bool HasExited => _process.HasExited;

    /// <summary>Its process id; with <see cref="ProcessSpec.OwnProcessGroup"/> also the id of its process group.</summary>
    public int Id => _process.Id;

    /// <summary>Whether it was started as the leader of a process group of its own (setsid was there).</summary>
    public bool LeadsGroup => _groupId > 0;

    /// <summary>The exit status once it has exited; null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Closes its stdin (it sees end of input).</summary>
    public void CloseInput()
    {
        try { _process.StandardInput.Close(); }
        catch (IOException) { }
    }

    /// <summary>Waits at most <paramref name="bound"/> for it to exit; true when it has.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan bound)
    {
        await ProcessRunner.WaitForExitAsync(_process, bound);
        return _process.HasExited;
    }

    /// <summary>What it wrote to stderr (the last <see cref="StderrCapBytes"/>), once its stderr closed or <paramref name="bound"/> passed.</summary>
    public async Task<string> StderrAsync(TimeSpan bound)
    {
        try { await _stderrDrain.WaitAsync(bound); }
        catch (TimeoutException) { }
        return _stderr.ToString();
    }

    /// <summary>Kills it at once, with everything it started: whatever is blocked on its pipes returns.</summary>
    public void Kill()
    {
        try { if (!_process.HasExited) ProcessRunner.Kill(_process, _groupId); }
        catch (InvalidOperationException) { } // gone, or already disposed (a late cancel)
    }

    private async Task DrainStderrAsync()
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await _process.StandardError.BaseStream.ReadAsync(buffer)) > 0) _stderr.Append(buffer.AsSpan(0, read));
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try { await _stderrDrain.WaitAsync(TimeSpan.FromSeconds(1)); }
        catch (TimeoutException) { }
        _process.Dispose();
    }
}
