using System.Collections.Immutable;
using Tether.Kernel.Wants;

namespace Tether.Kernel.Configuration;

/// <summary>Binds the remotes: list, filling in each remote's default backend and cost.</summary>
internal static class RemoteBinder
{
    private static readonly ImmutableArray<string> Keys = ["name", "url", "backend", "cost", "bandwidth_limit", "wants", "drive", "git"];
    private const string ListExpected = "expected a list of remotes, each starting with '- name: ...' followed by 'url: ...'";
    private const string EntryExpected = "expected a remote: a mapping with name and url, e.g. '- name: server' and 'url: /srv/tether/docs'";
    private const string NameExpected = "expected a remote name such as server";
    private const string UrlExpected = "expected a path or URL such as /srv/tether/docs, ssh://host/path or user@host:path";
    private const string BackendRule = "allowed: lower-case letters, digits and '-', e.g. local, ssh or rsync (plugins add more)";

    public static IReadOnlyList<RemoteConfig> BindAll(ConfigNode? node)
    {
        if (node is not { } list)
            return [];
        var nameLines = new Dictionary<string, int>(StringComparer.Ordinal);
        return list.AsList(ListExpected, item => Bind(item, nameLines));
    }

    private static RemoteConfig Bind(ConfigNode item, Dictionary<string, int> nameLines)
    {
        var map = item.AsMapping(EntryExpected, Keys);
        string name = BindUniqueName(map.Require("name", NameExpected), nameLines);
        string url = BindUrl(map.Require("url", UrlExpected));
        string backend = map.Get("backend") is { } given ? BindBackend(given) : RemoteDefaults.BackendFor(url);
        return new RemoteConfig
        {
            Name = name,
            Url = url,
            Backend = backend,
            Cost = map.Get("cost")?.AsInt(1, 100_000) ?? RemoteDefaults.CostFor(backend),
            BandwidthLimit = map.Get("bandwidth_limit") is { } limit ? BindBandwidthLimit(limit) : null,
            Wants = map.Get("wants") is { } wants ? BindWants(wants) : WantedContent.All,
            Drive = map.Get("drive") is { } drive ? DriveBinder.Bind(drive) : null,
            GitBundles = map.Get("git") is { } git && BindGit(git),
            Line = item.Line,
        };
    }

    private static string BindUniqueName(ConfigNode node, Dictionary<string, int> nameLines)
    {
        string name = node.AsString(NameExpected);
        if (!RemoteConfig.IsValidName(name))
            throw node.Error($"invalid remote name '{name}'", RemoteConfig.NameRule);
        if (nameLines.TryGetValue(name, out int firstLine))
            throw node.Error($"duplicate remote name '{name}' (first used at line {firstLine})", "each remote needs a unique name");
        nameLines.Add(name, node.Line);
        return name;
    }

    private static string BindUrl(ConfigNode node)
    {
        string url = node.AsString(UrlExpected);
        if (url.Trim().Length == 0) throw node.Error("the url is blank", UrlExpected);
        try { Platform.Ssh.SshUrl.TryParse(url); } // an ssh address is checked here, where the message can name the line
        catch (ArgumentException e) { throw node.Error(e.Message, UrlExpected); }
        return url;
    }

    private static string BindBackend(ConfigNode node)
    {
        string backend = node.AsString("expected a backend name such as local or ssh");
        return RemoteDefaults.BackendNamePattern().IsMatch(backend)
            ? backend
            : throw node.Error($"invalid backend name '{backend}'", BackendRule);
    }

    internal static WantedContent BindWants(ConfigNode node)
    {
        if (node.Node is YamlDotNet.RepresentationModel.YamlSequenceNode)
            return WantedContent.Matching(node.AsList(WantedContent.Expected, AnnexBinder.BindGlob));
        return node.AsString(WantedContent.Expected) switch
        {
            "all" => WantedContent.All,
            "none" => WantedContent.None,
            var other => throw node.Error($"unknown value '{other}'", WantedContent.Expected),
        };
    }

    private const string GitExpected = "expected 'bundles' (the git level rides on this content-only remote as git-remote-annex bundles) or 'none'";

    private static bool BindGit(ConfigNode node) => node.AsString(GitExpected) switch
    {
        "bundles" => true,
        "none" => false,
        var other => throw node.Error($"unknown value '{other}'", GitExpected),
    };

    private static ByteRate BindBandwidthLimit(ConfigNode node)
    {
        var rate = node.AsRate();
        return rate.BytesPerSecond > 0
            ? rate
            : throw node.Error("a limit of zero would stop all transfers", "expected a rate above zero such as 2MiB/s; leave bandwidth_limit out for no limit");
    }
}
