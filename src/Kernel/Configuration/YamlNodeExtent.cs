using YamlDotNet.RepresentationModel;

namespace Tether.Kernel.Configuration;

/// <summary>
/// Finds where a node's text ends. YamlDotNet gives collections an End mark equal to their
/// Start, so the end is taken from the last scalar inside, or the closing bracket of a flow collection.
/// </summary>
internal static class YamlNodeExtent
{
    public static int Start(YamlNode node) => (int)node.Start.Index;

    /// <summary>The index just past the node's last character (trailing blanks and line breaks excluded).</summary>
    public static int End(YamlNode node, string text) => node switch
    {
        YamlScalarNode scalar => TrimTrailingWhitespace(text, Start(scalar), (int)scalar.End.Index),
        YamlSequenceNode { Style: YamlDotNet.Core.Events.SequenceStyle.Flow } sequence =>
            PastClosingBracket(text, LastChildEnd(sequence.Children, sequence, text), ']'),
        YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Flow } mapping =>
            PastClosingBracket(text, LastChildEnd(Flatten(mapping), mapping, text), '}'),
        YamlSequenceNode sequence => LastChildEnd(sequence.Children, sequence, text),
        YamlMappingNode mapping => LastChildEnd(Flatten(mapping), mapping, text),
        _ => Start(node),
    };

    private static IEnumerable<YamlNode> Flatten(YamlMappingNode mapping) =>
        mapping.Children.SelectMany(pair => new[] { pair.Key, pair.Value });

    /// <summary>For an empty flow collection this is just past its opening bracket.</summary>
    private static int LastChildEnd(IEnumerable<YamlNode> children, YamlNode parent, string text) =>
        children.Select(child => End(child, text)).DefaultIfEmpty(Start(parent) + 1).Max();

    private static int TrimTrailingWhitespace(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        return end;
    }

    private static int PastClosingBracket(string text, int from, char bracket)
    {
        for (int i = from; i < text.Length; i++)
        {
            if (text[i] == bracket)
                return i + 1;
            if (text[i] == '#')
                i = SkipToLineEnd(text, i);
            else if (!char.IsWhiteSpace(text[i]) && text[i] != ',')
                break;
        }
        return from;
    }

    private static int SkipToLineEnd(string text, int index)
    {
        int lineEnd = text.IndexOf('\n', index);
        return lineEnd < 0 ? text.Length : lineEnd;
    }
}
