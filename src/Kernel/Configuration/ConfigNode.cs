using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tether.Kernel.Configuration;

/// <summary>
/// A YAML node together with the file and dotted key path it came from, so that every
/// conversion failure can say where it happened.
/// </summary>
internal readonly record struct ConfigNode(string FilePath, YamlNode Node, string KeyPath)
{
    public int Line => (int)Node.Start.Line;

    /// <summary>An empty value, ~ or null: YAML's way of saying "not set".</summary>
    public bool IsNull => Node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public ConfigNode Child(string key, YamlNode node) =>
        this with { Node = node, KeyPath = KeyPath.Length == 0 ? key : $"{KeyPath}.{key}" };

    public ConfigNode Item(int index, YamlNode node) => this with { Node = node, KeyPath = $"{KeyPath}[{index}]" };

    public ConfigException Error(string problem, string? allowed) =>
        ConfigException.At(FilePath, Node.Start, KeyPath, problem, allowed);

    public ConfigException WrongKind(string expected) => Error($"got {Describe()}", expected);

    public string Describe() => Node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull => "an empty value",
        YamlScalarNode scalar => $"'{Shorten(scalar.Value ?? "")}'",
        _ => "an unsupported YAML node",
    };

    public ConfigMapping AsMapping(string expected, IReadOnlyList<string> allowedKeys) =>
        Node is YamlMappingNode mapping ? new ConfigMapping(this, mapping, allowedKeys) : throw WrongKind(expected);

    public string AsString(string expected) =>
        Node is YamlScalarNode scalar && !IsNull ? scalar.Value ?? "" : throw WrongKind(expected);

    public int AsInt(int min, int max)
    {
        string expected = max == int.MaxValue
            ? $"expected a whole number >= {min}"
            : $"expected a whole number from {min} to {max}";
        string text = AsString(expected);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Error($"'{Shorten(text)}' is not a whole number", expected);
        if (value < min || value > max)
            throw Error($"{value} is out of range", expected);
        return (int)value;
    }

    public bool AsBool()
    {
        const string expected = "expected true or false";
        string text = AsString(expected);
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
            return true;
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
            return false;
        throw Error($"'{Shorten(text)}' is not true or false", expected);
    }

    public ByteSize AsSize()
    {
        string text = AsString(ByteSize.ExpectedForm);
        return ByteSize.TryParse(text, out var size) ? size : throw Error($"'{Shorten(text)}' is not a size", ByteSize.ExpectedForm);
    }

    public ByteRate AsRate()
    {
        string text = AsString(ByteRate.ExpectedForm);
        return ByteRate.TryParse(text, out var rate) ? rate : throw Error($"'{Shorten(text)}' is not a rate", ByteRate.ExpectedForm);
    }

    public TimeSpan AsDuration(bool allowZero)
    {
        string text = AsString(DurationText.ExpectedForm);
        if (allowZero && text.Trim() == "0") return TimeSpan.Zero; // "0" is unambiguous: off
        if (DurationText.IsBareNumber(text))
            throw Error($"'{text}' has no unit, which is ambiguous", DurationText.ExpectedForm);
        if (!DurationText.TryParse(text, out var duration))
            throw Error($"'{Shorten(text)}' is not a duration", DurationText.ExpectedForm);
        if (duration == TimeSpan.Zero && !allowZero)
            throw Error("a duration of zero is not allowed here", "expected a duration above zero such as 30s or 10m");
        return duration;
    }

    public TEnum AsEnum<TEnum>() where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        string allowed = $"allowed values: {string.Join(", ", values.Select(LowerCaseName))}";
        string text = AsString(allowed);
        foreach (var value in values)
        {
            if (LowerCaseName(value).Equals(text, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        throw Error($"unknown value '{Shorten(text)}'", allowed);
    }

    public IReadOnlyList<T> AsList<T>(string expected, Func<ConfigNode, T> bindItem)
    {
        if (Node is not YamlSequenceNode sequence)
            throw WrongKind(expected);
        var self = this;
        return sequence.Children.Select((child, index) => bindItem(self.Item(index, child))).ToArray();
    }

    public IReadOnlyList<string> AsStringList(string expected) =>
        AsList(expected, item => item.AsString(expected));

    public IReadOnlyDictionary<string, string> AsStringMap(string expected)
    {
        if (Node is not YamlMappingNode mapping)
            throw WrongKind(expected);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            string key = new ConfigNode(FilePath, keyNode, KeyPath).AsString("expected a plain key name");
            map[key] = Child(key, valueNode).AsString("expected a text value; write \"\" for an empty one");
        }
        return map;
    }

    internal static string LowerCaseName<TEnum>(TEnum value) where TEnum : struct, Enum =>
        value.ToString().ToLowerInvariant();

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
