using Tether.Kernel.Configuration;
using Tether.Kernel.Joining;
using Tether.Kernel.Remotes;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether remote add NAME annex::UUID?...`: joins a content-only remote another node set up, from the URL its
/// `tether remote info NAME --url` printed: the same UUID and settings (its cipher, never a new one) in remote.log, the
/// remote in the config (git: bundles when git rides on it), the cipher pinned. Everything is checked before anything
/// is written: the URL field by field, the backend, remote.log, a hybrid cipher's decryption with this keyring.
/// </summary>
public static class RemoteJoinCommand
{
    /// <summary>What stays this node's own choice when it joins.</summary>
    public sealed record Choices(int? Cost, ByteRate? BandwidthLimit, Kernel.Wants.WantedContent Wants);

    public static async Task<int> JoinAsync(CliContext ctx, string name, string text, Choices choices, CancellationToken ct)
    {
        AnnexUrl url;
        try { url = AnnexUrl.Parse(text); }
        catch (AnnexUrlException e) { throw new ArgumentException($"{name}: {e.Message}; nothing was changed", e); }
        var repo = ctx.OpenRepository();
        var config = ctx.LoadConfig(repo);
        if (config.Remotes.Any(r => r.Name == name)) throw new ArgumentException($"a remote named '{name}' is already in the config; nothing was changed");
        var backends = ctx.Backends(repo, config);
        var factory = backends.Factories.FirstOrDefault(f => f.Type == url.Type)
            ?? throw new ArgumentException($"{name}: the URL is for a {url.Type} remote, and no backend '{url.Type}' loaded ('tether plugins' shows what loaded); nothing was changed");
        if (factory.HasGitRepository) throw new ArgumentException($"{name}: backend '{url.Type}' is not a content-only one; nothing was changed");
        var location = url.Type == "rsync" ? url.Fields[AnnexUrlFields.RsyncUrl] : $"external://{url.Fields[AnnexUrlFields.ExternalType]}";
        var draft = new RemoteConfig { Name = name, Url = location, Backend = url.Type, Cost = factory.DefaultCost };
        var opened = await RemoteCommand.CheckCipherAsync(repo, name, url.Uuid, url.Fields, ct);

        var setup = await new SpecialRemoteSetup(repo, ctx.Clock, ctx.Logger("backends")).JoinAsync(factory, draft.ToRemote(), url, ct);
        var remote = new RemoteConfig
        {
            Name = name, Url = location, Backend = url.Type, Cost = choices.Cost ?? setup.Cost ?? factory.DefaultCost,
            BandwidthLimit = choices.BandwidthLimit, Wants = choices.Wants, GitBundles = url.GitRides,
        };
        var configPath = ctx.EditableConfigPath(repo);
        if (!File.Exists(configPath)) ConfigTemplate.Write(configPath, SyncCommand.DescriptionOf(repo, null, ctx.Clock));
        ConfigEditor.AddRemote(configPath, remote);
        if (opened is { } cipher) new Kernel.Encryption.CipherPin(repo, name, url.Uuid).Pin(cipher.Cipher);

        var encryption = opened is { } known ? known.Stored.Describe() : "encryption=none";
        await ctx.Out.WriteLineAsync($"Joined remote {name} ({remote.Backend}, cost {remote.Cost}, uuid {url.Uuid}, {encryption}): {remote.Url}");
        await ctx.Out.WriteLineAsync(url.GitRides
            ? $"The git level rides on {name} (git: bundles): 'tether sync' fetches the names and history other nodes stored there, then their content"
            : $"{name} carries content only (no git): names and history come from another remote");
        await RemoteCommand.TellRunningDaemonAsync(ctx, repo, ct);
        return ExitCodes.Success;
    }
}
