using System.Diagnostics;
using Tether.Tests.Support;

namespace Tether.Fuzz.Cluster;

/// <summary>
/// Stops the test sshd with every connection it serves (its whole process tree, so multiplexed connections die too)
/// and starts it again from the same config, on the same port.
/// </summary>
public sealed class SshdCut(SshdFixture sshd) : ICut, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private Process? _restarted;

    public string Name => "sshd";
    public bool IsCut { get; private set; }

    public Task CutAsync(CancellationToken ct)
    {
        if (IsCut) return Task.CompletedTask;
        var pidFile = Path.Combine(sshd.Folder, "sshd.pid");
        if (int.TryParse(File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "", out var pid)) ProcessTree.Kill(pid);
        _restarted?.Dispose();
        _restarted = null;
        IsCut = true;
        return Task.CompletedTask;
    }

    public async Task RestoreAsync(CancellationToken ct)
    {
        if (!IsCut) return;
        _restarted = Process.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", Path.Combine(sshd.Folder, "sshd_config")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        _restarted.BeginErrorReadLine();
        _restarted.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (sshd.Ssh(SshdFixture.TrustedHost, "true").ExitCode != 0)
        {
            if (_restarted.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("the test sshd did not come back");
            await Task.Delay(100, ct);
        }
        IsCut = false;
    }

    public void Dispose()
    {
        if (_restarted is { HasExited: false }) ProcessTree.Kill(_restarted.Id);
        _restarted?.Dispose();
    }
}
