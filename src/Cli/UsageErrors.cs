using System.CommandLine;
using System.CommandLine.Parsing;
using Tether.Kernel.Configuration;

namespace Tether.Cli;

/// <summary>
/// What is wrong with a command line, said once and with the obvious fix: an unknown command or option gets
/// "did you mean ...?", the "Required command was not provided" that comes with an unknown command is left out, and
/// an unknown option is an error even where the command takes free arguments (`sync --contnet` is no remote named
/// "--contnet"; after `--` anything is an argument).
/// </summary>
public static class UsageErrors
{
    private const string RequiredCommand = "Required command was not provided.";

    public static List<string> Of(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var messages = new List<string>();
        foreach (var error in parsed.Errors)
        {
            if (error.Message == RequiredCommand && parsed.UnmatchedTokens.Count > 0) continue;
            var token = parsed.UnmatchedTokens.FirstOrDefault(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
            messages.Add(token is null ? error.Message : $"{error.Message.TrimEnd('.')}{Suggestion(token, command)}");
        }
        foreach (var option in UnknownOptionsTakenAsArguments(parsed))
            messages.Add($"unknown option '{option}' for 'tether {CommandPath(parsed.CommandResult)}'{Suggestion(option, command)} (a value starting with '-' goes after '--')");
        return messages.Distinct().ToList();
    }

    private static string Suggestion(string token, Command command)
    {
        var candidates = token.StartsWith('-') ? OptionNames(command) : command.Subcommands.Select(c => c.Name);
        return SpellingSuggestion.Closest(token, candidates) is { } closest ? $": did you mean '{closest}'?" : "";
    }

    private static IEnumerable<string> OptionNames(Command command) =>
        command.Options.Concat(TetherCli.GlobalOptions).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith('-'));

    /// <summary>The command's own argument tokens that look like options and came before any `--`.</summary>
    private static IEnumerable<string> UnknownOptionsTakenAsArguments(ParseResult parsed)
    {
        var all = parsed.Tokens.ToList();
        var doubleDash = all.FindIndex(t => t.Type == TokenType.DoubleDash);
        for (SymbolResult? result = parsed.CommandResult; result is CommandResult commandResult; result = result.Parent)
            foreach (var argument in commandResult.Children.OfType<ArgumentResult>())
                foreach (var token in argument.Tokens)
                {
                    var at = all.FindIndex(t => ReferenceEquals(t, token));
                    if (token.Value.Length > 1 && token.Value.StartsWith('-') && (doubleDash < 0 || at < doubleDash)) yield return token.Value;
                }
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Parent is not null; r = r.Parent) names.Insert(0, c.Command.Name);
        return string.Join(' ', names);
    }
}
