namespace Tether.Sdk.Backends;

/// <summary>
/// A factory whose remotes are set up once before use, with settings the user gives (git-annex's
/// <c>initremote</c>/<c>enableremote</c>), and are then found through what is recorded in <c>remote.log</c>. The kernel
/// never invents such a remote on first use: a remote of this type with no <c>remote.log</c> record fails with the
/// command that sets it up. Since contracts 2.1.
/// </summary>
public interface IInitializingBackendFactory : IContentBackendFactory
{
    /// <summary>
    /// Sets the remote up (idempotently: it may already exist, set up by another clone). <paramref name="remote"/> has the
    /// UUID it will have and the user's settings (<see cref="RemoteDescriptor.Settings"/>).
    /// </summary>
    /// <returns>The settings to record in <c>remote.log</c> (the kernel adds <c>name</c>, <c>type</c> and the timestamp).</returns>
    /// <exception cref="IOException">The remote refused or could not be set up; the message says why.</exception>
    Task<RemoteSetup> InitializeAsync(RemoteDescriptor remote, CancellationToken ct);
}
