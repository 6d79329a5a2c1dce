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
/// `tether shell --forced [--directory DIR] [--read-only | --append-only]`: the same, as an authorized_keys forced
/// command: the request is read from SSH_ORIGINAL_COMMAND and served only when it is one of Tether's own
/// (<see cref="ForcedRequest"/>) for a repository inside DIR (<see cref="ShellConfinement"/>); a refusal is one line on
/// stderr, exit 3, and a line in the refusal log (<see cref="ShellRefusalLog"/>). The restrictions also come from
/// TETHER_SHELL_DIRECTORY, TETHER_SHELL_READONLY and TETHER_SHELL_APPENDONLY (<see cref="ShellRestrictions"/>).
/// </summary>
public static class ShellCommand
{
    public const string OriginalCommandVariable = "SSH_ORIGINAL_COMMAND";

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var path = new Argument<string?>("PATH") { Description = "The repository to serve (relative: from the home folder)", Arity = ArgumentArity.ZeroOrOne };
        var peer = new Option<string?>("--peer-uuid") { Description = "The connecting repository's UUID, named in this side's transfer records" };
        var forced = new Option<bool>("--forced") { Description = "Run as an ssh forced command: serve only the tether or git request in SSH_ORIGINAL_COMMAND, if this key allows it" };
        var directory = new Option<string?>("--directory") { Description = "Serve only repositories inside this folder (symlinks and '..' resolved first)" };
        var readOnly = new Option<bool>("--read-only") { Description = "Nothing may change: no upload, no removal, no push" };
        var appendOnly = new Option<bool>("--append-only") { Description = "Content and history may be added, never removed: no removal; refs only move forward" };
        var command = new Command("shell", "Serve a repository's content to a remote tether over stdin/stdout (run by the ssh backend)")
            { path, peer, forced, directory, readOnly, appendOnly };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            if (parsed.GetValue(readOnly) && parsed.GetValue(appendOnly)) throw new ArgumentException("--read-only and --append-only: choose one");
            var original = parsed.GetValue(forced) ? Environment.GetEnvironmentVariable(OriginalCommandVariable) : null;
            try
            {
                var restrictions = ShellRestrictions.From(parsed.GetValue(directory), parsed.GetValue(readOnly), parsed.GetValue(appendOnly), Environment.GetEnvironmentVariable);
                var request = parsed.GetValue(forced) ? ForcedRequest.Parse(original)
                    : new ForcedRequest(ForcedRequestKind.TetherShell, parsed.GetValue(path) ?? throw new ArgumentException("say which repository: tether shell PATH"), parsed.GetValue(peer));
                return await ServeAsync(ctx, request, restrictions, confine: parsed.GetValue(forced) || restrictions.IsRestricted, ct);
            }
            catch (ShellRefusedException e)
            {
                await ctx.Error.WriteLineAsync($"tether shell: refused: {e.Message}");
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                ShellRefusalLog.Append(ShellRefusalLog.PathFor(Environment.GetEnvironmentVariable, home), ctx.Clock.GetUtcNow(),
                    Environment.GetEnvironmentVariable("SSH_CONNECTION"), original ?? parsed.GetValue(path), e.Message);
                return ExitCodes.Refused;
            }
        });
        return command;
    }

    private static async Task<int> ServeAsync(CliContext ctx, ForcedRequest request, ShellRestrictions restrictions, bool confine, CancellationToken ct)
    {
        var location = confine
            ? ShellConfinement.Resolve(request.Path, restrictions.Directory, ctx.CurrentDirectory, gitSuffixes: request.Kind != ForcedRequestKind.TetherShell)
            : Path.GetFullPath(request.Path, ctx.CurrentDirectory);
        if (request.Kind != ForcedRequestKind.TetherShell)
            return await GitServiceRunner.RunAsync(request.Kind, location, restrictions.Access, ct);
        if (!Directory.Exists(location)) throw new ArgumentException($"no repository at {location}");
        var repo = OpenAnnexRepository(location);
        await using var stdin = Console.OpenStandardInput();
        await using var stdout = Console.OpenStandardOutput();
        await new ShellServer(repo, request.PeerUuid, stdin, stdout, ctx.Clock, NullLogger.Instance, (key, token) => DropAsync(ctx, repo, key, token), restrictions.Access)
            .RunAsync(ct);
        return ExitCodes.Success;
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
