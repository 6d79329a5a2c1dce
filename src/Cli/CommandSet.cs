using System.CommandLine;
using Tether.Cli.Commands;

namespace Tether.Cli;

/// <summary>Creates each command with a context factory bound to this invocation's streams and folder.</summary>
public sealed class CommandSet(TextWriter stdout, TextWriter stderr, string currentDirectory)
{
    public IEnumerable<Command> Build()
    {
        yield return InitCommand.Create(Context);
        yield return SyncCommand.Create(Context);
        yield return ConfigCommand.Create(Context);
        yield return RemoteCommand.Create(Context);
        yield return DriveCommand.Create(Context);
        yield return WhereisCommand.Create(Context);
        yield return GetCommand.Create(Context);
        yield return DropCommand.Create(Context);
        yield return LockCommands.Unlock(Context);
        yield return LockCommands.Lock(Context);
        yield return WatchCommand.Create(Context);
        yield return DaemonControlCommands.Status(Context);
        yield return DaemonControlCommands.Poke(Context);
        yield return DaemonControlCommands.Stop(Context);
        yield return DaemonControlCommands.Reload(Context);
        yield return DaemonControlCommands.Resume(Context);
        yield return TransfersCommand.Create(Context);
        yield return HooksCommand.Create(Context);
        yield return PluginsCommand.Create(Context);
        yield return ShellCommand.Create(Context);
        yield return SshAuthorizeCommand.Create(Context);
        yield return MapCommand.Create(Context);
        yield return LogCommand.Create(Context);
        yield return RestoreCommand.Create(Context);
        yield return ConflictsCommand.Create(Context);
        yield return ResolveCommand.Create(Context);
        yield return CompletionCommand.Create(Context);
        yield return OpenCommand.Create(Context);
    }

    private CliContext Context(ParseResult parsed)
    {
        var dir = parsed.GetValue(TetherCli.DirectoryOption);
        return new CliContext(stdout, stderr,
            dir is null ? currentDirectory : Path.GetFullPath(dir, currentDirectory),
            parsed.GetValue(TetherCli.ConfigOption), parsed.GetValue(TetherCli.VerboseOption));
    }
}
