using Tether.Sdk.Backends;

namespace Tether.Plugins.Ssh;

/// <summary>
/// Backend type "ssh": a full repository on another machine. Git goes through the system git (OpenSSH); content
/// through <c>tether shell</c> run there over ssh (see <see cref="ShellSession"/> for the protocol).
/// </summary>
public sealed class SshBackendFactory : IContentBackendFactory
{
    public string Type => "ssh";
    public int DefaultCost => 200; // git-annex: ssh remotes are "expensive" (200)
    public IContentBackend Create(RemoteDescriptor remote) => new SshBackend(remote, SshLocation.Parse(remote.Url));
}
