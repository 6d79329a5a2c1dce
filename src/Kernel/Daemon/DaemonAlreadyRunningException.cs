namespace Tether.Kernel.Daemon;

public sealed class DaemonAlreadyRunningException(string repository, int? pid)
    : InvalidOperationException($"a tether daemon is already running for {repository}{(pid is null ? "" : $" (pid {pid})")}; stop it with 'tether stop'")
{
    public int? Pid { get; } = pid;
}
