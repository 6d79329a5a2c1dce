using Tether.Kernel.Backends;
using Tether.Kernel.Git;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Sync;

/// <summary>Readies a configured remote for use: its git remote entry, its UUID, its content backend.</summary>
public sealed class RemoteEndpointFactory(AnnexRepository repo, BackendRegistry backends, TimeProvider clock)
{
    private readonly RemoteUuidResolver _uuids = new(repo, new RepositoryInitializer(clock));

    public async Task<RemoteEndpoint> OpenAsync(Remote remote, CancellationToken ct)
    {
        var endpoint = new RemoteEndpoint(remote);
        var factory = backends.FactoryFor(remote);
        endpoint.HasGit = factory.HasGitRepository;
        if (endpoint.HasGit)
        {
            new GitTransport(repo).EnsureRemote(remote.Name, remote.Url);
            endpoint.Uuid = await _uuids.ResolveAsync(remote, ct);
        }
        else
        {
            endpoint.Uuid = await _uuids.ResolveContentOnlyAsync(remote, ct);
        }
        endpoint.Content = backends.Create(remote, endpoint.Uuid, repo.ReadUuid());
        if (endpoint.Uuid is null)
        {
            // A remote repository reached through a plugin (ssh): it tells its UUID itself.
            try
            {
                endpoint.Uuid = await endpoint.Content.ReadRemoteUuidAsync(ct);
            }
            catch
            {
                await endpoint.Content.DisposeAsync();
                throw;
            }
            if (endpoint.Uuid is not null) _uuids.Remember(remote.Name, endpoint.Uuid);
        }
        return endpoint;
    }

    /// <summary>Opens every remote it can; a remote that cannot be opened is returned with its error recorded.</summary>
    public async Task<List<RemoteEndpoint>> OpenAllAsync(IEnumerable<Remote> remotes, CancellationToken ct)
    {
        var result = new List<RemoteEndpoint>();
        foreach (var remote in remotes)
        {
            try { result.Add(await OpenAsync(remote, ct)); }
            catch (Exception e) when (e is IOException or LibGit2Sharp.LibGit2SharpException or InvalidOperationException or UnauthorizedAccessException)
            {
                var failed = new RemoteEndpoint(remote);
                failed.Errors.Add(e.Message);
                result.Add(failed);
            }
        }
        return result;
    }
}
