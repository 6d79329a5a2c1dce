using System.Collections.Immutable;

namespace Tether.Kernel.Configuration;

/// <summary>Binds the triggers: list.</summary>
internal static class TriggerBinder
{
    private static readonly ImmutableArray<string> Keys = ["type", "remote", "every", "options"];
    private const string ListExpected = "expected a list of triggers, each starting with '- type: ...'";
    private const string EntryExpected = "expected a trigger: a mapping with type and optionally remote, every and options";
    private const string TypeExpected = "expected a trigger type such as interval";

    public static IReadOnlyList<TriggerConfig> BindAll(ConfigNode? node, IReadOnlyCollection<string> remoteNames) =>
        node?.AsList(ListExpected, item => Bind(item, remoteNames)) ?? [];

    private static TriggerConfig Bind(ConfigNode item, IReadOnlyCollection<string> remoteNames)
    {
        var map = item.AsMapping(EntryExpected, Keys);
        return new TriggerConfig
        {
            Type = BindType(map.Require("type", TypeExpected)),
            Remote = map.Get("remote") is { } remote ? RemoteReference.Bind(remote, remoteNames) : null,
            Every = map.Get("every")?.AsDuration(allowZero: false),
            Options = map.Get("options")?.AsStringMap("expected a mapping of option names to values such as { branch: main }")
                ?? new Dictionary<string, string>(),
            Line = item.Line,
        };
    }

    private static string BindType(ConfigNode node)
    {
        string type = node.AsString(TypeExpected);
        return type.Trim().Length > 0 ? type : throw node.Error("the trigger type is blank", TypeExpected);
    }
}
