namespace Tether.Kernel.Threads;

/// <summary>What a remote's worker has been asked to do; requests are merged while it is busy.</summary>
[Flags]
public enum RemoteWork
{
    None = 0,
    /// <summary>Push our branch and git-annex branch to it.</summary>
    Push = 1,
    /// <summary>Fetch from it and merge (a poke, a retry, the start).</summary>
    Pull = 2,
}
