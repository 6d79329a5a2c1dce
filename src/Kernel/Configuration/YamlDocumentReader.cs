using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tether.Kernel.Configuration;

/// <summary>Parses config text into the single YAML document it must contain.</summary>
internal static class YamlDocumentReader
{
    public static YamlNode ReadRoot(string yaml, string filePath)
    {
        var documents = Parse(yaml, filePath).Documents;
        if (documents.Count == 0 || new ConfigNode(filePath, documents[0].RootNode, "").IsNull)
            throw new ConfigException(filePath, 1, 1, null, "the config file is empty", TetherConfigBinder.TopLevelExpected);
        if (documents.Count > 1)
            throw ConfigException.At(filePath, documents[1].RootNode.Start, null,
                "found a second YAML document", "expected a single document; remove the '---' separator");
        return documents[0].RootNode;
    }

    private static YamlStream Parse(string yaml, string filePath)
    {
        var parser = new PositionTrackingParser(new Parser(new StringReader(yaml)), filePath);
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
            return stream;
        }
        catch (YamlException error)
        {
            throw YamlSyntaxError.From(error, yaml, filePath, parser.LastEvent?.Start);
        }
        catch (InvalidOperationException error)
        {
            throw YamlSyntaxError.FromUnclosedCollection(error, yaml, filePath, parser.LastEvent?.End);
        }
    }
}
