using System.Collections.Immutable;
using Tether.Kernel.Wants;

namespace Tether.Kernel.Configuration;

/// <summary>Builds a <see cref="TetherConfig"/> from the root YAML node, validating as it goes.</summary>
internal static class TetherConfigBinder
{
    public static readonly ImmutableArray<string> TopLevelKeys =
        ["description", "annex", "remotes", "wants", "commit", "push_retry_interval", "pull_interval", "transfers", "plugins", "triggers", "hooks", "history", "ignore", "web"];

    public static readonly string TopLevelExpected =
        $"expected a mapping of settings such as 'description: laptop' (top-level keys: {string.Join(", ", TopLevelKeys)})";

    private static readonly ImmutableArray<string> CommitKeys = ["quiet_period", "max_batch", "max_deletion_percent", "deletion_guard_min_files"];
    private static readonly ImmutableArray<string> TransferKeys = ["slots", "strategy"];
    private static readonly ImmutableArray<string> PluginKeys = ["folders"];
    private static readonly ImmutableArray<string> HistoryKeys = ["keep"];
    private static readonly ImmutableArray<string> WebKeys = ["address", "port"];

    public static TetherConfig Bind(ConfigNode root)
    {
        var map = root.AsMapping(TopLevelExpected, TopLevelKeys);
        var defaults = TetherConfig.Default;
        var remotes = RemoteBinder.BindAll(map.Get("remotes"));
        var remoteNames = remotes.Select(remote => remote.Name).ToArray();
        return new TetherConfig
        {
            Description = map.Get("description")?.AsString("expected a short text such as \"laptop\""),
            Annex = map.Get("annex") is { } annex ? AnnexBinder.Bind(annex) : defaults.Annex,
            Remotes = remotes,
            Wants = map.Get("wants") is { } wants ? RemoteBinder.BindWants(wants) : WantedContent.All,
            Commit = map.Get("commit") is { } commit ? BindCommit(commit) : defaults.Commit,
            PushRetryInterval = map.Get("push_retry_interval")?.AsDuration(allowZero: false) ?? defaults.PushRetryInterval,
            PullInterval = map.Get("pull_interval")?.AsDuration(allowZero: true) ?? defaults.PullInterval,
            Transfers = map.Get("transfers") is { } transfers ? BindTransfers(transfers) : defaults.Transfers,
            Plugins = map.Get("plugins") is { } plugins ? BindPlugins(plugins) : defaults.Plugins,
            Triggers = TriggerBinder.BindAll(map.Get("triggers"), remoteNames),
            Hooks = HookBinder.BindAll(map.Get("hooks"), remoteNames),
            History = map.Get("history") is { } history ? BindHistory(history) : defaults.History,
            Ignore = map.Get("ignore")?.AsStringList("expected a list of globs such as [\"*.tmp\", \"build/\"]") ?? defaults.Ignore,
            Web = map.Get("web") is { } web ? BindWeb(web) : defaults.Web,
            SourcePath = root.FilePath,
        };
    }

    private static CommitConfig BindCommit(ConfigNode node)
    {
        var map = node.AsMapping("expected a mapping with quiet_period, max_batch, max_deletion_percent and deletion_guard_min_files", CommitKeys);
        var defaults = new CommitConfig();
        return new CommitConfig
        {
            QuietPeriod = map.Get("quiet_period")?.AsDuration(allowZero: true) ?? defaults.QuietPeriod,
            MaxBatch = map.Get("max_batch")?.AsInt(1, int.MaxValue) ?? defaults.MaxBatch,
            MaxDeletionPercent = map.Get("max_deletion_percent")?.AsInt(1, 100) ?? defaults.MaxDeletionPercent,
            DeletionGuardMinFiles = map.Get("deletion_guard_min_files")?.AsInt(1, int.MaxValue) ?? defaults.DeletionGuardMinFiles,
        };
    }

    private static HistoryConfig BindHistory(ConfigNode node)
    {
        var map = node.AsMapping("expected a mapping with keep (such as 30d, or forever)", HistoryKeys);
        if (map.Get("keep") is not { } keep) return new HistoryConfig();
        return keep.AsString("expected a duration such as 30d, or forever") == "forever"
            ? new HistoryConfig { Keep = null }
            : new HistoryConfig { Keep = keep.AsDuration(allowZero: true) };
    }

    private static TransferConfig BindTransfers(ConfigNode node)
    {
        var map = node.AsMapping("expected a mapping with slots and strategy", TransferKeys);
        var defaults = new TransferConfig();
        return new TransferConfig
        {
            Slots = map.Get("slots")?.AsInt(1, 64) ?? defaults.Slots,
            Strategy = map.Get("strategy")?.AsEnum<TransferStrategy>() ?? defaults.Strategy,
        };
    }

    private static PluginConfig BindPlugins(ConfigNode node)
    {
        var map = node.AsMapping("expected a mapping with folders", PluginKeys);
        return new PluginConfig
        {
            Folders = map.Get("folders")?.AsStringList("expected a list of folder paths such as [\"~/tether-plugins\"]") ?? [],
        };
    }

    private static WebConfig BindWeb(ConfigNode node)
    {
        const string expected = "expected off, or a mapping with address (such as 127.0.0.1) and port (auto, 0 for any free port, or 1 to 65535)";
        if (node.Node is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } word } && word.Equals("off", StringComparison.OrdinalIgnoreCase))
            return new WebConfig { Enabled = false };
        var map = node.AsMapping(expected, WebKeys);
        var address = map.Get("address") is { } a ? BindAddress(a) : WebConfig.DefaultAddress;
        var port = map.Get("port") is { } p && !(p.Node is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "auto" }) ? p.AsInt(0, 65535) : (int?)null;
        return new WebConfig { Address = address, Port = port };
    }

    private static string BindAddress(ConfigNode node)
    {
        var text = node.AsString("expected an IP address such as 127.0.0.1 or ::1");
        return System.Net.IPAddress.TryParse(text, out _) ? text
            : throw node.Error($"'{text}' is not an IP address", "expected an IP address such as 127.0.0.1 (loopback, the default), ::1, or 0.0.0.0 for every interface");
    }
}
