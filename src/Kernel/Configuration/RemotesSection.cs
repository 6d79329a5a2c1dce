using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Tether.Kernel.Configuration;

/// <summary>
/// The top-level remotes: entry of a config file's text, located through YamlDotNet marks so
/// that entries can be added and removed as text, leaving everything else untouched.
/// Expects text that has already passed validation.
/// </summary>
internal sealed class RemotesSection
{
    private const string Key = "remotes";
    private const string EntryIndent = "  ";

    private readonly string text;
    private readonly TextLines lines;
    private readonly YamlNode? keyNode;
    private readonly YamlNode? valueNode;

    private RemotesSection(string text, YamlNode? keyNode, YamlNode? valueNode)
    {
        this.text = text;
        lines = new TextLines(text);
        this.keyNode = keyNode;
        this.valueNode = valueNode;
    }

    public static RemotesSection Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var entry = root.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: Key });
        return new RemotesSection(text, entry.Key, entry.Value);
    }

    private IList<YamlNode> Entries => valueNode is YamlSequenceNode sequence ? sequence.Children : [];

    /// <summary>The position in <see cref="Entries"/> of the remote called <paramref name="name"/> and its name node.</summary>
    public (int Index, YamlNode NameNode)? Find(string name)
    {
        for (int i = 0; i < Entries.Count; i++)
        {
            if (NameNodeOf(Entries[i]) is { Value: var entryName } nameNode && entryName == name)
                return (i, nameNode);
        }
        return null;
    }

    public IEnumerable<string> Names => Entries.Select(NameNodeOf).OfType<YamlScalarNode>().Select(node => node.Value ?? "");

    public string WithRemoteAdded(RemoteConfig remote) => valueNode switch
    {
        null => AppendNewSection(remote),
        YamlSequenceNode { Style: SequenceStyle.Flow, Children.Count: > 0 } flow => InsertIntoFlow(flow, remote),
        YamlSequenceNode { Children.Count: > 0 } block => AppendToBlock(block, remote),
        _ => ReplaceEmptyValue(remote),
    };

    public string WithRemoteRemoved(int index) => valueNode switch
    {
        YamlSequenceNode { Style: SequenceStyle.Flow } flow => RemoveFromFlow(flow, index),
        YamlSequenceNode block => RemoveFromBlock(block, index),
        _ => throw new ArgumentOutOfRangeException(nameof(index), "there are no remote entries"),
    };

    private static YamlScalarNode? NameNodeOf(YamlNode entry) =>
        entry is YamlMappingNode mapping
            ? mapping.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: "name" }).Value as YamlScalarNode
            : null;

    private string AppendNewSection(RemoteConfig remote)
    {
        string separator = text.Length == 0 || text.EndsWith('\n') ? "" : lines.NewLine;
        string blankLine = text.Length == 0 || text.EndsWith(lines.NewLine + lines.NewLine) ? "" : lines.NewLine;
        return text + separator + blankLine + Key + ":" + lines.NewLine + BlockText(remote, EntryIndent);
    }

    private string AppendToBlock(YamlSequenceNode block, RemoteConfig remote)
    {
        int lastLine = lines.LineOf(YamlNodeExtent.End(block, text) - 1);
        string indent = new(' ', lines.ColumnOf(YamlNodeExtent.Start(block)));
        return InsertAfterLine(text, lastLine, BlockText(remote, indent));
    }

    private string InsertIntoFlow(YamlSequenceNode flow, RemoteConfig remote)
    {
        int lastEntryEnd = YamlNodeExtent.End(flow.Children[^1], text);
        return text.Insert(lastEntryEnd, ", " + RemoteYamlWriter.FlowEntry(remote));
    }

    /// <summary>remotes: with nothing, ~, null or [] after it becomes a block list with one entry.</summary>
    private string ReplaceEmptyValue(RemoteConfig remote)
    {
        int keyLine = lines.LineOf(YamlNodeExtent.Start(keyNode!));
        int valueStart = YamlNodeExtent.Start(valueNode!);
        int valueEnd = YamlNodeExtent.End(valueNode!, text);
        while (valueStart > 0 && text[valueStart - 1] == ' ')
            valueStart--;
        string withoutValue = valueEnd > valueStart ? text.Remove(valueStart, valueEnd - valueStart) : text;
        string indent = new(' ', lines.ColumnOf(YamlNodeExtent.Start(keyNode!)) + EntryIndent.Length);
        return InsertAfterLine(withoutValue, keyLine, BlockText(remote, indent));
    }

    private string RemoveFromBlock(YamlSequenceNode block, int index)
    {
        var entry = block.Children[index];
        int firstLine = DashLineOf(entry, block);
        int lastLine = lines.LineOf(YamlNodeExtent.End(entry, text) - 1);
        int start = lines.StartOf(firstLine);
        return text.Remove(start, lines.EndOf(lastLine) - start);
    }

    private string RemoveFromFlow(YamlSequenceNode flow, int index)
    {
        var entries = flow.Children;
        var entry = entries[index];
        (int start, int end) = index + 1 < entries.Count
            ? (YamlNodeExtent.Start(entry), YamlNodeExtent.Start(entries[index + 1]))
            : (index > 0 ? YamlNodeExtent.End(entries[index - 1], text) : YamlNodeExtent.Start(entry), YamlNodeExtent.End(entry, text));
        return text.Remove(start, end - start);
    }

    /// <summary>The line holding the entry's '-', which is usually, but not always, the line its content starts on.</summary>
    private int DashLineOf(YamlNode entry, YamlSequenceNode block)
    {
        int dashColumn = lines.ColumnOf(YamlNodeExtent.Start(block));
        for (int line = lines.LineOf(YamlNodeExtent.Start(entry)); line > 0; line--)
        {
            int dash = lines.StartOf(line) + dashColumn;
            if (dash < text.Length && text[dash] == '-')
                return line;
        }
        return 0;
    }

    private string BlockText(RemoteConfig remote, string indent) =>
        string.Concat(RemoteYamlWriter.BlockLines(remote, indent).Select(line => line + lines.NewLine));

    private string InsertAfterLine(string target, int line, string insertion)
    {
        var targetLines = new TextLines(target);
        int at = targetLines.EndOf(line);
        bool lastLineHasNoBreak = at == target.Length && !target.EndsWith('\n');
        return target.Insert(at, lastLineHasNoBreak ? lines.NewLine + insertion : insertion);
    }
}
