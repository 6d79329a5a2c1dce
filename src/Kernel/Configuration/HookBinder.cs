using System.Collections.Immutable;
using Tether.Kernel.Hooks;

namespace Tether.Kernel.Configuration;

/// <summary>Binds the hooks: list.</summary>
internal static class HookBinder
{
    private static readonly ImmutableArray<string> Keys = ["name", "events", "command", "shell", "filter", "timeout", "env"];
    private static readonly ImmutableArray<string> FilterKeys = ["remote", "path"];
    private const string ListExpected = "expected a list of hooks, each with events and command";
    private const string EntryExpected = "expected a hook: a mapping with events and command, e.g. 'events: [commit]'";
    private const string CommandExpected = "expected a list of strings such as [\"notify-send\", \"{{ remote.name }}\"]";
    private static readonly string EventsExpected = $"expected a list of events such as [commit, push]; allowed events: {string.Join(", ", HookEvents.All)}";

    public static IReadOnlyList<HookConfig> BindAll(ConfigNode? node, IReadOnlyCollection<string> remoteNames) =>
        node?.AsList(ListExpected, item => Bind(item, remoteNames)) ?? [];

    private static HookConfig Bind(ConfigNode item, IReadOnlyCollection<string> remoteNames)
    {
        var map = item.AsMapping(EntryExpected, Keys);
        var defaults = new HookConfig { Events = [], Command = [] };
        var events = BindEvents(map.Require("events", EventsExpected));
        bool shell = map.Get("shell")?.AsBool() ?? defaults.Shell;
        return new HookConfig
        {
            Name = map.Get("name")?.AsString("expected a short name such as notify"),
            Events = events,
            Command = BindCommand(map.Require("command", CommandExpected), events, shell),
            Shell = shell,
            Filter = map.Get("filter") is { } filter ? BindFilter(filter, remoteNames) : null,
            Timeout = map.Get("timeout")?.AsDuration(allowZero: false) ?? defaults.Timeout,
            Env = map.Get("env")?.AsStringMap("expected a mapping of variable names to values such as { KEY: value }")
                ?? new Dictionary<string, string>(),
            Line = item.Line,
        };
    }

    private static IReadOnlyList<string> BindEvents(ConfigNode node)
    {
        var events = node.AsList(EventsExpected, BindEvent);
        return events.Count > 0 ? events : throw node.Error("the list of events is empty", EventsExpected);
    }

    private static string BindEvent(ConfigNode node)
    {
        string name = node.AsString(EventsExpected);
        if (HookEvents.All.Contains(name))
            return name;
        string allowed = SpellingSuggestion.DidYouMean(name, HookEvents.All) + $"allowed events: {string.Join(", ", HookEvents.All)}";
        throw node.Error($"unknown event '{name}'", allowed);
    }

    private static IReadOnlyList<string> BindCommand(ConfigNode node, IReadOnlyList<string> events, bool shell)
    {
        var command = node.AsList(CommandExpected, item =>
        {
            string text = item.AsString(CommandExpected);
            HookTemplateCheck.Check(item, text, events, shell);
            return text;
        });
        if (command.Count == 0 || command[0].Trim().Length == 0)
            throw node.Error("the command is empty", CommandExpected);
        return command;
    }

    private static HookFilter BindFilter(ConfigNode node, IReadOnlyCollection<string> remoteNames)
    {
        var map = node.AsMapping("expected a mapping with remote and/or path, e.g. { remote: server, path: \"photos/**\" }", FilterKeys);
        return new HookFilter
        {
            Remote = map.Get("remote") is { } remote ? RemoteReference.Bind(remote, remoteNames) : null,
            Path = map.Get("path") is { } path ? AnnexBinder.BindGlob(path) : null,
        };
    }
}
