using YamlDotNet.Core;

namespace Tether.Kernel.Configuration;

/// <summary>Turns YamlDotNet parser failures into a <see cref="ConfigException"/> with a usable position and advice.</summary>
internal static class YamlSyntaxError
{
    private const string TabsProblem = "tabs cannot be used for indentation";
    private const string TabsAdvice = "indent with spaces";

    public static ConfigException From(YamlException error, string yaml, string filePath, Mark? lastEventStart)
    {
        var mark = IsUnknown(error.Start) && lastEventStart is { } last ? last : error.Start;
        if (FindTabIndentation(yaml) is var (tabLine, tabColumn)
            && (error.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) || tabLine <= mark.Line))
            return new ConfigException(filePath, tabLine, tabColumn, null, TabsProblem, TabsAdvice, error);
        if (error.Message.StartsWith("Duplicate key ", StringComparison.Ordinal))
            return new ConfigException(filePath, (int)mark.Line, (int)mark.Column, null,
                $"duplicate key '{error.Message["Duplicate key ".Length..]}'", "each key may appear only once in a mapping", error);
        return new ConfigException(filePath, (int)mark.Line, (int)mark.Column, null,
            $"invalid YAML: {Sentence(error.Message)}", AdviceFor(error.Message), error);
    }

    /// <summary>YamlDotNet throws InvalidOperationException when a flow collection is never closed.</summary>
    public static ConfigException FromUnclosedCollection(InvalidOperationException error, string yaml, string filePath, Mark? lastEventEnd)
    {
        if (FindTabIndentation(yaml) is var (tabLine, tabColumn))
            return new ConfigException(filePath, tabLine, tabColumn, null, TabsProblem, TabsAdvice, error);
        var mark = lastEventEnd ?? Mark.Empty;
        return new ConfigException(filePath, (int)mark.Line, (int)mark.Column, null,
            "invalid YAML: cannot parse past this point", "check that every '[' and '{' is closed and quotes are balanced", error);
    }

    private static bool IsUnknown(Mark mark) => mark.Index == 0 && mark.Line <= 1 && mark.Column <= 1;

    /// <summary>The first line whose indentation contains a tab (1-based line and column of the tab).</summary>
    private static (int Line, int Column)? FindTabIndentation(string yaml)
    {
        string[] lines = yaml.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int content = line.AsSpan().IndexOfAnyExcept(' ', '\t');
            if (content < 0 || line[content] == '#')
                continue;
            int tab = line.IndexOf('\t', 0, content);
            if (tab >= 0)
                return (i + 1, tab + 1);
        }
        return null;
    }

    private static string AdviceFor(string parserMessage) => parserMessage switch
    {
        _ when parserMessage.Contains("invalid mapping", StringComparison.Ordinal) =>
            "quote values that contain ': ' (e.g. url: \"a: b\") and check the indentation",
        _ when parserMessage.Contains("'-' indicator", StringComparison.Ordinal) =>
            "list items must start with '- ' at the same indentation, and keys of a mapping must line up",
        _ when parserMessage.Contains("expected ',' or", StringComparison.Ordinal) =>
            "close the '[' or '{' and separate its items with ','",
        _ when parserMessage.Contains("anchor", StringComparison.OrdinalIgnoreCase) =>
            "define an anchor with &name before using it with *name",
        _ => "check the indentation, quoting and brackets near this point",
    };

    private static string Sentence(string parserMessage)
    {
        string text = parserMessage.Trim().TrimEnd('.');
        return text.Length == 0 ? "syntax error" : char.ToLowerInvariant(text[0]) + text[1..];
    }
}
