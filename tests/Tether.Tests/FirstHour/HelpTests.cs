using System.CommandLine;
using Tether.Cli;
using Tether.Tests.Support;
using Xunit;

namespace Tether.Tests.FirstHour;

/// <summary>`tether --help` and every subcommand's help are complete, and show optional arguments as optional.</summary>
public sealed class HelpTests
{
    [Fact]
    public async Task TopLevelHelpShowsOptionalArgumentsAsOptional()
    {
        using var dir = new TempFolder();
        var help = (await CliRunner.RunAsync(dir.Path, "--help")).Out;
        foreach (var label in (string[])["init [DIR]", "watch [DIR]", "sync [REMOTE...]", "poke [REMOTE]", "get <PATH>...", "shell [PATH]", "completion <SHELL>"])
            Assert.Contains("  " + label + " ", help);
        Assert.DoesNotContain("init <DIR>", help);
        Assert.Contains("add <NAME> <PATH-OR-URL>", (await CliRunner.RunAsync(dir.Path, "remote", "--help")).Out);
    }

    [Fact]
    public async Task EveryCommandArgumentAndOptionHasADescriptionAndEveryHelpPrintsIt()
    {
        using var dir = new TempFolder();
        var root = new RootCommand();
        foreach (var command in new CommandSet(TextWriter.Null, TextWriter.Null, dir.Path).Build()) root.Subcommands.Add(command);
        var missing = new List<string>();
        foreach (var (path, command) in All(root, []))
        {
            if (string.IsNullOrWhiteSpace(command.Description)) missing.Add($"{path}: the command");
            missing.AddRange(command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)).Select(a => $"{path}: argument {a.Name}"));
            missing.AddRange(command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => $"{path}: option {o.Name}"));
            var help = await CliRunner.RunAsync(dir.Path, [.. path.Split(' '), "--help"]);
            Assert.True(help.ExitCode == 0 && help.Out.Contains("Usage:"), $"tether {path} --help: {help}");
            foreach (var argument in command.Arguments) Assert.Contains(argument.Description ?? "?", help.Out);
        }
        Assert.Empty(missing);
        var driveAdd = (await CliRunner.RunAsync(dir.Path, "drive", "add", "--help")).Out;
        Assert.Single(driveAdd.Split('\n'), l => l.Contains("default: tether"));
    }

    [Fact]
    public async Task TheBashCompletionScriptCompletesCommandsAndOptions()
    {
        using var dir = new TempFolder();
        var script = (await CliRunner.RunAsync(dir.Path, "completion", "bash")).Out;
        File.WriteAllText(dir.Combine("completion.bash"), script);
        var bin = Path.GetDirectoryName(TetherProcess.ProgramPath)!;
        string Complete(string line) => GitCli.RunTool("/usr/bin/env", dir.Path, $"PATH={bin}:/usr/bin:/bin", "bash", "-c",
            $". ./completion.bash; COMP_LINE='{line}'; COMP_POINT={line.Length}; read -ra COMP_WORDS <<< \"$COMP_LINE\"; " +
            "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _tether_complete; printf '%s\\n' \"${COMPREPLY[@]}\"").Trim();
        Assert.Equal("sync", Complete("tether sy"));
        Assert.Equal("--no-content", Complete("tether sync --no"));
        Assert.Contains("add", Complete("tether remote ").Split('\n'));
    }

    private static IEnumerable<(string Path, Command Command)> All(Command command, string[] path)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] subPath = [.. path, sub.Name];
            yield return (string.Join(' ', subPath), sub);
            foreach (var deeper in All(sub, subPath)) yield return deeper;
        }
    }
}
