using Tether.Sdk.Backends;

namespace Tether.Plugins.External;

/// <summary>
/// Backend type "external": any git-annex external special remote program (<c>git-annex-remote-NAME</c> on PATH:
/// rclone, and the many others written for git-annex), content only. Set up once with INITREMOTE
/// (<c>tether remote add NAME external://NAME -c key=value...</c>), recorded in remote.log as <c>git annex initremote
/// type=external externaltype=NAME</c> records it, so git-annex and Tether share the remote both ways.
/// </summary>
public sealed class ExternalBackendFactory : IInitializingBackendFactory
{
    public string Type => "external";
    public int DefaultCost => 200; // git-annex: external remotes are expensive unless they say otherwise (GETCOST)
    public bool HasGitRepository => false;

    public IContentBackend Create(RemoteDescriptor remote) => new ExternalBackend(remote, Options(remote));

    public async Task<RemoteSetup> InitializeAsync(RemoteDescriptor remote, CancellationToken ct)
    {
        var options = Options(remote);
        var settings = new Dictionary<string, string>(remote.Settings, StringComparer.Ordinal)
        {
            ["externaltype"] = options.ExternalType,
            ["encryption"] = remote.Settings.GetValueOrDefault("encryption", "none"),
        };
        await using var backend = new ExternalBackend(remote with { Settings = settings }, options);
        return await backend.InitializeAsync(ct);
    }

    /// <exception cref="ArgumentException">Settings Tether cannot honour (encryption, chunking) or a bad external type.</exception>
    private static HelperOptions Options(RemoteDescriptor remote)
    {
        if (remote.Settings.GetValueOrDefault("encryption") is { } encryption && encryption != "none")
            throw new ArgumentException($"remote '{remote.Name}': encryption={encryption} is not supported by Tether's external remotes (only encryption=none; " +
                                        "an rclone 'crypt' remote encrypts on the rclone side)");
        foreach (var setting in new[] { "chunk", "chunksize" })
            if (remote.Settings.ContainsKey(setting))
                throw new ArgumentException($"remote '{remote.Name}': {setting}= (git-annex's chunking) is not supported by Tether's external remotes yet");
        return HelperOptions.From(remote.Name, remote.Url, remote.Settings);
    }
}
