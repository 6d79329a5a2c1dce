using System.CommandLine;
using Tether.Kernel.Encryption;
using Tether.Kernel.Joining;
using Tether.Kernel.Remotes;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether remote info NAME [--url]`: a remote's backend, UUID, encryption (scheme, key ids, MAC) and whether git rides
/// on it; with --url, the one annex:: URL from which another node joins it with `tether remote add NAME URL` alone.
/// </summary>
public static class RemoteInfoCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("NAME") { Description = "The remote's name ('tether remote list' shows them)" };
        var url = new Option<bool>("--url")
        {
            Description = "Print the annex:: URL another node joins this content-only remote with ('tether remote add NAME URL'): its UUID, type, settings, " +
                          "encryption and whether git rides on it. With encryption shared it holds the cipher: keep it as secret as a password",
        };
        var command = new Command("info", "Show a remote: backend, UUID, encryption, key ids, MAC, whether git rides on it") { name, url };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var config = ctx.LoadConfig(repo);
            var remoteName = parsed.GetValue(name)!;
            var remote = config.Remotes.FirstOrDefault(r => r.Name == remoteName)
                ?? throw new ArgumentException($"no remote named '{remoteName}' in the config (known: {string.Join(", ", config.Remotes.Select(r => r.Name).DefaultIfEmpty("none"))})");
            var factory = ctx.Backends(repo, config).Factories.FirstOrDefault(f => f.Type == remote.Backend);
            var contentOnly = factory is { HasGitRepository: false };
            var summary = Summarise(repo, remote, contentOnly, ctx.Clock, remoteName);
            if (!parsed.GetValue(url))
            {
                await PrintAsync(ctx.Out, summary, factory is null);
                return ExitCodes.Success;
            }
            if (!contentOnly)
                throw new ArgumentException(factory is null
                    ? $"{remoteName}: no backend '{remote.Backend}' loaded ('tether plugins' shows what loaded), so it cannot tell what the remote is"
                    : $"{remoteName} is a repository of its own ({remote.Backend}): another node adds it with 'tether remote add {remoteName} {remote.Url}'; " +
                      "--url is for content-only remotes (rsync, external://TYPE)");
            if (summary.Recorded is null && remote.Backend == "rsync")
            {
                // Not recorded until it is first used: recorded now, as the first sync would.
                await new RemoteUuidResolver(repo, new Kernel.Repositories.RepositoryInitializer(ctx.Clock), ctx.Clock).ResolveContentOnlyAsync(remote.ToRemote(), ct);
                summary = Summarise(repo, remote, contentOnly, ctx.Clock, remoteName);
            }
            if (summary is not { Uuid: { } uuid, Recorded: { } recorded })
                throw new ArgumentException($"{remoteName} is not recorded in remote.log: set it up with 'tether remote add' or 'tether remote enable {remoteName}' first");
            var joinUrl = AnnexUrl.ForRecord(uuid, recorded, summary.GitRides);
            var text = joinUrl.Format();
            try { AnnexUrl.Parse(text); } // what is printed must be what a joining node accepts
            catch (AnnexUrlException e) { throw new ArgumentException($"{remoteName}: no join URL can be made for it ({e.Message})", e); }
            await ctx.Out.WriteLineAsync(text);
            await WarnAsync(ctx.Error, summary);
            return ExitCodes.Success;
        });
        return command;
    }

    private static RemoteSummary Summarise(Kernel.Repositories.AnnexRepository repo, Kernel.Configuration.RemoteConfig remote, bool contentOnly, TimeProvider clock, string name)
    {
        try { return RemoteSummary.Of(repo, remote, contentOnly, clock); }
        catch (InvalidDataException e) { throw new ArgumentException($"{name}: {e.Message}", e); }
    }

    private static async Task PrintAsync(TextWriter output, RemoteSummary summary, bool unknownBackend)
    {
        var remote = summary.Config;
        await output.WriteLineAsync($"name: {remote.Name}");
        await output.WriteLineAsync($"backend: {remote.Backend} ({(unknownBackend ? "not loaded" : summary.ContentOnly ? "content only" : "a repository")})");
        await output.WriteLineAsync($"url: {remote.Url}");
        await output.WriteLineAsync($"uuid: {summary.Uuid ?? "(not known yet: 'tether sync' learns it)"}");
        if (!summary.ContentOnly)
        {
            await output.WriteLineAsync("encryption: none (a repository of its own: encryption is for content-only remotes)");
            await output.WriteLineAsync("git: its own repository");
        }
        else
        {
            await output.WriteLineAsync($"encryption: {EncryptionText(summary.Scheme ?? EncryptionScheme.None)}");
            if (summary.Scheme == EncryptionScheme.Hybrid) await output.WriteLineAsync($"key ids: {string.Join(", ", summary.KeyIds)}");
            if (summary.Mac is { } mac) await output.WriteLineAsync($"mac: {mac}");
            await output.WriteLineAsync(summary.GitRides ? "git: bundles (the git level rides on this remote)" : "git: none (content only; 'git: bundles' in the config carries git too)");
            if (summary.Settings.Count > 0)
                await output.WriteLineAsync($"settings: {string.Join(' ', summary.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"))}");
        }
        await output.WriteLineAsync($"cost: {remote.Cost}");
    }

    private static string EncryptionText(EncryptionScheme scheme) => scheme switch
    {
        EncryptionScheme.Shared => "shared (the cipher is in remote.log: anyone who has the repository can decrypt)",
        EncryptionScheme.Hybrid => "hybrid (the cipher is in remote.log, encrypted to the gpg keys below)",
        _ => "none (content and key names are stored in plaintext there)",
    };

    /// <summary>What the user must know about the URL just printed (on stderr, so the URL alone is on stdout).</summary>
    private static async Task WarnAsync(TextWriter error, RemoteSummary summary)
    {
        switch (summary.Scheme)
        {
            case EncryptionScheme.Shared:
                await error.WriteLineAsync($"warning: this URL is a secret: it holds the cipher of {summary.Name} (encryption=shared), so whoever has it can decrypt " +
                                           "everything stored there. Pass it only as you would a password (not in a chat log, a shell history, a ticket)");
                break;
            case EncryptionScheme.Hybrid:
                await error.WriteLineAsync($"note: the cipher in this URL is encrypted to gpg keys {string.Join(", ", summary.KeyIds)}: a node joining with it needs " +
                                           "one of their secret keys in its keyring");
                break;
            default:
                await error.WriteLineAsync($"note: {summary.Name} is not encrypted (encryption=none): its content{(summary.GitRides ? ", names and history are" : " is")} stored in plaintext there");
                break;
        }
        if (!summary.GitRides)
            await error.WriteLineAsync($"note: git does not ride on {summary.Name} (content only): a node joining with this URL gets content through it, not names and history");
        await error.WriteLineAsync($"Another node joins with: tether remote add {summary.Name} 'URL' (quoted: it holds '&')");
    }
}
