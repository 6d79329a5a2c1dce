using YamlDotNet.RepresentationModel;

namespace Tether.Kernel.Configuration;

/// <summary>A YAML mapping whose keys have been checked against the keys allowed at its level.</summary>
internal sealed class ConfigMapping
{
    private readonly ConfigNode node;
    private readonly YamlMappingNode mapping;

    public ConfigMapping(ConfigNode node, YamlMappingNode mapping, IReadOnlyList<string> allowedKeys)
    {
        this.node = node;
        this.mapping = mapping;
        foreach (var keyNode in mapping.Children.Keys)
            RejectIfUnknown(keyNode, allowedKeys);
    }

    public ConfigNode Node => node;

    /// <summary>The value of <paramref name="key"/>, or null when the key is absent or its value is YAML null.</summary>
    public ConfigNode? Get(string key)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is YamlScalarNode { Value: var name } && name == key)
            {
                var value = node.Child(key, valueNode);
                return value.IsNull ? null : value;
            }
        }
        return null;
    }

    public ConfigNode Require(string key, string expected) =>
        Get(key) ?? throw node.Error($"missing required key '{key}'", expected);

    private void RejectIfUnknown(YamlNode keyNode, IReadOnlyList<string> allowedKeys)
    {
        var keyAt = new ConfigNode(node.FilePath, keyNode, node.KeyPath);
        string key = keyAt.AsString("expected a plain key name");
        if (allowedKeys.Contains(key))
            return;
        string allowed = SpellingSuggestion.DidYouMean(key, allowedKeys) + $"allowed keys: {string.Join(", ", allowedKeys)}";
        throw node.Child(key, keyNode).Error($"unknown key '{key}'", allowed);
    }
}
