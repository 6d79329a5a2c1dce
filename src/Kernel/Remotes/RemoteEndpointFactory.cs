using Tether.Kernel.Backends;
using Tether.Kernel.Encryption;
using Tether.Kernel.Git;
using Tether.Kernel.Remotes;
using Tether.Kernel.Repositories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.AnnexBranch;
using Tether.Sdk.Backends;

namespace Tether.Kernel.Remotes;

/// <summary>Readies a configured remote for use: its git remote entry, its UUID, its content backend.</summary>
public sealed class RemoteEndpointFactory(AnnexRepository repo, BackendRegistry backends, TimeProvider clock, ILogger? log = null)
{
    private readonly RemoteUuidResolver _uuids = new(repo, new RepositoryInitializer(clock), clock);

    /// <summary>Opens a remote and confirms its UUID before returning.</summary>
    public async Task<RemoteEndpoint> OpenAsync(Remote remote, CancellationToken ct)
    {
        var endpoint = await BeginOpenAsync(remote, ct);
        await ConfirmUuidAsync(endpoint);
        return endpoint.UuidError is { } error ? throw new IOException(error) : endpoint;
    }

    /// <summary>
    /// Opens a remote; a repository reached through a plugin (ssh) is asked for its UUID in the background
    /// (<see cref="RemoteEndpoint.UuidCheck"/>), so that round trip (an ssh handshake and the remote program's start)
    /// overlaps the git fetch. It is asked even when the UUID is known, so a different repository now at that place is
    /// noticed before content or location logs go to it. Call <see cref="ConfirmUuidAsync"/> before using the UUID.
    /// </summary>
    public async Task<RemoteEndpoint> BeginOpenAsync(Remote remote, CancellationToken ct)
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
            endpoint.Uuid = await _uuids.ResolveContentOnlyAsync(remote, ct, mustBeRecorded: factory is IInitializingBackendFactory);
        }
        var descriptor = BackendRegistry.Describe(remote, endpoint.Uuid, repo.ReadUuid());
        IReadOnlyDictionary<string, string>? recorded = null;
        var contentUuid = endpoint.HasGit ? null : endpoint.Uuid;
        if (contentUuid is not null) (descriptor, recorded) = ForContentOnly(descriptor, contentUuid);
        endpoint.Content = factory.Create(descriptor);
        if (recorded is not null)
        {
            // The kernel's encryption layer: the backend sees only MAC names and ciphertext (never a plaintext fallback).
            try { endpoint.Content = RemoteEncryption.Wrap(endpoint.Content, recorded, repo, remote.Name, contentUuid!); }
            catch (InvalidOperationException)
            {
                await endpoint.Content.DisposeAsync();
                throw;
            }
        }
        if (endpoint.HasGit && !remote.IsLocalPath && endpoint.Content is IRemoteUuidSource source) endpoint.UuidCheck = source.ReadRemoteUuidAsync(ct);
        return endpoint;
    }

    /// <summary>
    /// A content-only remote's backend also gets its remote.log settings (what git-annex's initremote or Tether's
    /// <c>remote add</c> recorded), the git directory, and the git-annex branch for per-key state and URLs.
    /// </summary>
    /// <remarks>The encryption fields (cipher, cipherkeys, encryption, mac) are the kernel's: the backend is given none.</remarks>
    private (RemoteDescriptor Descriptor, IReadOnlyDictionary<string, string> Recorded) ForContentOnly(RemoteDescriptor descriptor, string uuid)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        var recorded = RemoteLog.Parse(branch.Read(RemoteLog.FileName)).GetValueOrDefault(uuid) ?? new Dictionary<string, string>();
        return (descriptor with
        {
            Settings = RemoteEncryption.WithoutEncryption(RemoteLog.Shared(recorded)), GitDirectory = repo.GitDir,
            Host = new AnnexBranchBackendHost(repo, uuid, clock, log ?? NullLogger.Instance),
        }, recorded);
    }

    /// <summary>
    /// Waits for the UUID the remote reported. A remote that could not say is left without content (its error in
    /// <see cref="RemoteEndpoint.UuidError"/> and <see cref="RemoteEndpoint.Errors"/>); git still syncs with it.
    /// </summary>
    public async Task ConfirmUuidAsync(RemoteEndpoint endpoint)
    {
        if (endpoint.UuidCheck is not { } check) return;
        endpoint.UuidCheck = null;
        string? reported;
        try { reported = await check; }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or OperationCanceledException)
        {
            await DropContentAsync(endpoint, e is OperationCanceledException ? "cancelled" : e.Message);
            return;
        }
        if (reported is null) return; // the backend cannot tell: keep what we know
        if (endpoint.Uuid is { } recorded && recorded != reported)
        {
            await DropContentAsync(endpoint,
                $"the repository at {endpoint.Remote.Url} has annex UUID {reported}, not {recorded} as recorded for remote '{endpoint.Name}' " +
                $"(a different repository is there now); no content moves until you check it. If the new repository is intended, " +
                $"run 'git config --unset remote.{endpoint.Name}.annex-uuid' and sync again");
            return;
        }
        endpoint.Uuid = reported;
        _uuids.Remember(endpoint.Name, reported);
    }

    private static async Task DropContentAsync(RemoteEndpoint endpoint, string error)
    {
        endpoint.UuidError = error;
        endpoint.Errors.Add(error);
        if (endpoint.Content is { } content) await content.DisposeAsync();
        endpoint.Content = null;
    }

    /// <summary>
    /// Opens every remote it can; a remote that cannot be opened is returned with its error recorded. UUID checks
    /// are left running (see <see cref="BeginOpenAsync"/>).
    /// </summary>
    public async Task<List<RemoteEndpoint>> OpenAllAsync(IEnumerable<Remote> remotes, CancellationToken ct)
    {
        var result = new List<RemoteEndpoint>();
        foreach (var remote in remotes)
        {
            try { result.Add(await BeginOpenAsync(remote, ct)); }
            catch (Exception e) when (e is IOException or LibGit2Sharp.LibGit2SharpException or InvalidOperationException or UnauthorizedAccessException)
            {
                var failed = new RemoteEndpoint(remote);
                failed.Errors.Add(e.Message);
                result.Add(failed);
            }
        }
        return result;
    }

    public async Task ConfirmAllAsync(IEnumerable<RemoteEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints) await ConfirmUuidAsync(endpoint);
    }
}
