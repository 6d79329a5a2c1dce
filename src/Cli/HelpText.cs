using System.CommandLine;
using System.Text.RegularExpressions;

namespace Tether.Cli;

/// <summary>
/// Help that shows what is optional as optional: in a list of commands System.CommandLine prints `init &lt;DIR&gt;` and
/// `sync &lt;REMOTE&gt;`, which read as required; here they are `init [DIR]` and `sync [REMOTE...]`, required ones
/// stay `&lt;NAME&gt;`. The rest of its help is kept as it is (its help builder cannot be customised from outside).
/// </summary>
public static partial class HelpText
{
    public static string Rewrite(string help, Command helped)
    {
        var labels = helped.Subcommands.Where(c => !c.Hidden).ToDictionary(DefaultLabel, Label);
        var lines = help.Split('\n').ToList();
        var start = lines.FindIndex(l => l.TrimEnd() == "Commands:");
        if (start < 0) return help;
        var end = lines.FindIndex(start + 1, l => l.Trim().Length == 0);
        if (end < 0) end = lines.Count;
        var rows = new List<(string Label, string Text)>();
        for (var i = start + 1; i < end; i++)
        {
            var match = Row().Match(lines[i]);
            if (match.Success && labels.TryGetValue(match.Groups[1].Value, out var label)) rows.Add((label, match.Groups[2].Value));
            else if (rows.Count > 0) rows[^1] = (rows[^1].Label, rows[^1].Text + " " + lines[i].Trim()); // a wrapped description
            else return help;
        }
        var width = rows.Max(r => r.Label.Length) + 2;
        lines.RemoveRange(start + 1, end - start - 1);
        lines.InsertRange(start + 1, rows.Select(r => $"  {r.Label.PadRight(width)}{r.Text}"));
        return string.Join('\n', lines);
    }

    /// <summary>"name &lt;REQUIRED&gt; [OPTIONAL] [MANY...]".</summary>
    public static string Label(Command command) =>
        string.Join(' ', command.Arguments.Where(a => !a.Hidden).Select(ArgumentLabel).Prepend(command.Name));

    private static string DefaultLabel(Command command) =>
        string.Join(' ', command.Arguments.Where(a => !a.Hidden).Select(a => $"<{a.HelpName ?? a.Name}>").Prepend(command.Name));

    private static string ArgumentLabel(Argument argument)
    {
        var name = argument.HelpName ?? argument.Name;
        var many = argument.Arity.MaximumNumberOfValues > 1 ? "..." : "";
        return argument.Arity.MinimumNumberOfValues == 0 ? $"[{name}{many}]" : $"<{name}>{many}";
    }

    [GeneratedRegex(@"^  (\S+(?: <[^>]+>)*)\s{2,}(.*)$")]
    private static partial Regex Row();
}
