using LibGit2Sharp;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Git;

/// <summary>
/// Fetch and push through the system git (libgit2's local transport cannot push to a non-bare repository,
/// and git brings OpenSSH and the user's ssh config for ssh remotes). Remotes are the ones in .git/config.
/// </summary>
public sealed class GitTransport
{
    private readonly AnnexRepository _repo;

    public GitTransport(AnnexRepository repo) => _repo = repo;

    public async Task FetchAsync(string remoteName, CancellationToken ct)
    {
        var result = await GitProcess.RunAsync(_repo.GitDir, ["fetch", "--no-tags", "--quiet", "--no-write-fetch-head", remoteName], ct, SshMultiplexing.GitEnvironment(_repo));
        if (result.ExitCode != 0) throw new IOException($"fetch from {remoteName} failed: {result.ErrorText}{SshHint(result.Stderr)}");
    }

    /// <summary>Pushes the refspecs; throws <see cref="PushRejectedException"/> naming the refs the remote refused.</summary>
    /// <param name="sameMachine">
    /// The remote is a path on this machine: the pack is not worth a delta search or strong compression
    /// (it halves the push of a burst of new files; the remote's next gc repacks with deltas anyway).
    /// </param>
    public async Task PushAsync(string remoteName, IReadOnlyList<string> refSpecs, CancellationToken ct, bool sameMachine = false)
    {
        string[] cheapPacking = sameMachine ? ["-c", "pack.window=0", "-c", "pack.compression=1"] : [];
        var result = await GitProcess.RunAsync(_repo.GitDir, [.. cheapPacking, "push", "--porcelain", "--quiet", remoteName, .. refSpecs], ct, SshMultiplexing.GitEnvironment(_repo));
        if (result.ExitCode == 0) return;
        // --porcelain: "<flag>\t<from>:<to>\t<summary>"; '!' marks a rejected ref.
        var rejected = result.Stdout.Split('\n').Where(l => l.StartsWith('!')).Select(l => l.Split('\t')).Where(f => f.Length >= 3).ToList();
        if (rejected.Count > 0)
            throw new PushRejectedException(remoteName, rejected.Select(f => f[1]).ToList(), string.Join("; ", rejected.Select(f => f[2]).Distinct()));
        throw new IOException($"push to {remoteName} failed: {result.ErrorText}{SshHint(result.Stderr)}");
    }

    /// <summary>What to do about ssh's host key refusal (we never turn the check off).</summary>
    private static string SshHint(string stderr) =>
        stderr.Contains("Host key verification failed", StringComparison.Ordinal)
            ? " (the remote's ssh host key is not trusted: check its fingerprint and trust it once with 'ssh HOST' or 'ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts')"
            : "";

    /// <summary>Creates or updates a git remote (url and the standard fetch refspec).</summary>
    public void EnsureRemote(string name, string url)
    {
        using var git = _repo.OpenGit();
        var existing = git.Network.Remotes[name];
        if (existing is null) git.Network.Remotes.Add(name, url);
        else if (existing.Url != url) git.Network.Remotes.Update(name, r => r.Url = url);
    }

    public void RemoveRemote(string name)
    {
        using var git = _repo.OpenGit();
        if (git.Network.Remotes[name] is not null) git.Network.Remotes.Remove(name);
    }
}
