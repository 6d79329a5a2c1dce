using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Content;
using Tether.Kernel.Plugins;
using Tether.Kernel.Repositories;
using Tether.Kernel.Shell;
using Tether.Sdk.Keys;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether shell PATH [--peer-uuid UUID]` (hidden): what the ssh backend runs on the remote machine through ssh.
/// Speaks <see cref="ShellServer"/>'s line protocol on stdin/stdout; nothing else may be written to stdout.
/// </summary>
public static class ShellCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var path = new Argument<string>("PATH") { Description = "The repository to serve (relative: from the home folder)" };
        var peer = new Option<string?>("--peer-uuid") { Description = "The connecting repository's UUID, named in this side's transfer records" };
        var command = new Command("shell", "Serve a repository's content to a remote tether over stdin/stdout (run by the ssh backend)") { path, peer };
        command.Hidden = true;
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var location = Path.GetFullPath(parsed.GetValue(path)!, ctx.CurrentDirectory);
            if (!Directory.Exists(location)) throw new ArgumentException($"no repository at {location}");
            var repo = OpenAnnexRepository(location);
            await using var stdin = Console.OpenStandardInput();
            await using var stdout = Console.OpenStandardOutput();
            await new ShellServer(repo, parsed.GetValue(peer), stdin, stdout, ctx.Clock, NullLogger.Instance, (key, token) => DropAsync(ctx, repo, key, token))
                .RunAsync(ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Only a repository that already is one (annex.uuid set) is served: a plain git repository is never turned into one from afar.</summary>
    private static AnnexRepository OpenAnnexRepository(string location)
    {
        var repo = AnnexRepository.OpenExact(location);
        return repo.ReadUuid() is null
            ? throw new ArgumentException($"{location} is a git repository but not a Tether or git-annex one (no annex.uuid); run 'tether init' there first; nothing was changed")
            : repo;
    }

    /// <summary>REMOVE is `tether drop` run here: numcopies other copies verified in this repository's own remotes first.</summary>
    private static async Task<DropResult> DropAsync(CliContext ctx, AnnexRepository repo, Key key, CancellationToken ct)
    {
        var config = ctx.LoadConfig(repo);
        // No logger that writes to stdout: it carries the protocol.
        var backends = BackendRegistryLoader.ForRepository(repo, config, ctx.Clock, NullLogger.Instance).Registry;
        await using var support = await ContentCommandSupport.OpenAsync(ctx, repo, config, backends, ct);
        return await new ContentDropper(repo, ctx.Clock).DropAsync(key, support.Remotes, config.Annex.NumCopies, ct);
    }
}
