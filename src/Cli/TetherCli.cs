using System.CommandLine;
using LibGit2Sharp;
using Tether.Cli.Commands;
using Tether.Kernel.Configuration;

namespace Tether.Cli;

/// <summary>The `tether` command line: builds the command tree and maps failures to exit statuses.</summary>
public static class TetherCli
{
    public static readonly Option<string?> ConfigOption = new("--config") { Description = "Use this config file instead of .tether/config.yml", Recursive = true };
    public static readonly Option<string?> DirectoryOption = new("-C") { Description = "Run as if started in this folder", Recursive = true, HelpName = "DIR" };
    public static readonly Option<bool> VerboseOption = new("--verbose", "-v") { Description = "Log each decision", Recursive = true };

    /// <summary>The options every command takes.</summary>
    public static IReadOnlyList<Option> GlobalOptions { get; } = [ConfigOption, DirectoryOption, VerboseOption];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string currentDirectory, CancellationToken ct)
    {
        var root = new RootCommand("Tether: keeps a folder in sync across machines with git and git-annex's formats");
        root.Options.Add(ConfigOption);
        root.Options.Add(DirectoryOption);
        root.Options.Add(VerboseOption);
        var handlers = new CommandSet(stdout, stderr, currentDirectory);
        foreach (var command in handlers.Build()) root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        var usageErrors = UsageErrors.Of(parsed);
        if (usageErrors.Count > 0)
        {
            foreach (var error in usageErrors) await stderr.WriteLineAsync($"tether: {error}");
            await stderr.WriteLineAsync("Run 'tether --help' for usage.");
            return ExitCodes.UsageOrConfig;
        }
        if (parsed.Action is System.CommandLine.Help.HelpAction)
        {
            using var help = new StringWriter();
            var code = await parsed.InvokeAsync(new InvocationConfiguration { Output = help, Error = stderr }, ct);
            await stdout.WriteAsync(HelpText.Rewrite(help.ToString(), parsed.CommandResult.Command));
            return code;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, ct);
        }
        catch (ConfigException e)
        {
            await stderr.WriteLineAsync($"tether: {e.Message}");
            return ExitCodes.UsageOrConfig;
        }
        catch (Exception e) when (e is RepositoryNotFoundException or ArgumentException or Kernel.Daemon.DaemonAlreadyRunningException or Platform.Native.PrivateFolderException)
        {
            await stderr.WriteLineAsync($"tether: {e.Message}");
            return ExitCodes.UsageOrConfig;
        }
        catch (LibGit2SharpException e) when (e.Message.Contains("not owned by current user", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync($"tether: {e.Message}: run tether as its owner, or, if you trust that user, 'git config --global --add safe.directory PATH'");
            return ExitCodes.UsageOrConfig;
        }
        catch (Exception e) when (Kernel.Native.DiskFull.Is(e) || e is Kernel.Native.DiskFullException)
        {
            await stderr.WriteLineAsync($"tether: failed: {e.Message}"); // said plainly: no stack trace for a full disk
            return ExitCodes.SyncFailed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // One line, whatever failed (a libgit2 ownership check, a timeout): the stack trace only on --verbose.
            await stderr.WriteLineAsync($"tether: failed: {OneLine(e.Message)}");
            if (parsed.GetValue(VerboseOption)) await stderr.WriteLineAsync(e.ToString());
            return ExitCodes.SyncFailed;
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
