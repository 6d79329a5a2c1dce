using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Kernel.Repositories;
using Tether.Kernel.Shell;

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
            var repo = AnnexRepository.OpenExact(location);
            if (repo.ReadUuid() is null)
            {
                await new RepositoryInitializer(ctx.Clock).InitializeAsync(location, null, repo.IsBare, ct);
                repo = AnnexRepository.OpenExact(location);
            }
            await using var stdin = Console.OpenStandardInput();
            await using var stdout = Console.OpenStandardOutput();
            await new ShellServer(repo, parsed.GetValue(peer), stdin, stdout, ctx.Clock, NullLogger.Instance).RunAsync(ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
