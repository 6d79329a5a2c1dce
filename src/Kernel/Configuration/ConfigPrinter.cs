using System.Globalization;
using System.Text;

namespace Tether.Kernel.Configuration;

/// <summary>Prints the effective configuration as YAML, every value spelled out; it loads back to the same settings.</summary>
public static class ConfigPrinter
{
    public static string ToYaml(TetherConfig config)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine($"description: {(config.Description is { } description ? YamlScalarText.Format(description) : "null")}");
        AppendAnnex(yaml, config.Annex);
        AppendRemotes(yaml, config.Remotes);
        yaml.AppendLine($"wants: {config.Wants}");
        yaml.AppendLine("commit:");
        yaml.AppendLine($"  quiet_period: {DurationText.Format(config.Commit.QuietPeriod)}");
        yaml.AppendLine($"  max_batch: {Number(config.Commit.MaxBatch)}");
        yaml.AppendLine($"  max_deletion_percent: {Number(config.Commit.MaxDeletionPercent)}");
        yaml.AppendLine($"  deletion_guard_min_files: {Number(config.Commit.DeletionGuardMinFiles)}");
        yaml.AppendLine($"push_retry_interval: {DurationText.Format(config.PushRetryInterval)}");
        yaml.AppendLine($"pull_interval: {DurationText.Format(config.PullInterval)}");
        yaml.AppendLine("transfers:");
        yaml.AppendLine($"  slots: {Number(config.Transfers.Slots)}");
        yaml.AppendLine($"  strategy: {ConfigNode.LowerCaseName(config.Transfers.Strategy)}");
        yaml.AppendLine("plugins:");
        yaml.AppendLine($"  folders: {FlowList(config.Plugins.Folders)}");
        AppendTriggers(yaml, config.Triggers);
        AppendHooks(yaml, config.Hooks);
        if (!config.Web.Enabled) yaml.AppendLine("web: off");
        else
        {
            yaml.AppendLine("web:");
            yaml.AppendLine($"  address: {YamlScalarText.Format(config.Web.Address)}");
            yaml.AppendLine($"  port: {(config.Web.Port is { } port ? Number(port) : "auto")}");
        }
        return yaml.ToString();
    }

    private static void AppendAnnex(StringBuilder yaml, AnnexConfig annex)
    {
        yaml.AppendLine("annex:");
        yaml.AppendLine("  largefiles:");
        yaml.AppendLine($"    larger_than: {annex.LargeFiles.LargerThan}");
        yaml.AppendLine($"    include: {FlowList(annex.LargeFiles.Include)}");
        yaml.AppendLine($"    exclude: {FlowList(annex.LargeFiles.Exclude)}");
        yaml.AppendLine($"  numcopies: {Number(annex.NumCopies)}");
        yaml.AppendLine($"  unlocked: {(annex.Unlocked ? "true" : "false")}");
        yaml.AppendLine($"  thin: {(annex.Thin ? "true" : "false")}");
    }

    private static void AppendRemotes(StringBuilder yaml, IReadOnlyList<RemoteConfig> remotes)
    {
        yaml.AppendLine(remotes.Count == 0 ? "remotes: []" : "remotes:");
        foreach (var line in remotes.SelectMany(remote => RemoteYamlWriter.BlockLines(remote, "  ")))
            yaml.AppendLine(line);
    }

    private static void AppendTriggers(StringBuilder yaml, IReadOnlyList<TriggerConfig> triggers)
    {
        yaml.AppendLine(triggers.Count == 0 ? "triggers: []" : "triggers:");
        foreach (var trigger in triggers)
        {
            yaml.AppendLine($"  - type: {YamlScalarText.Format(trigger.Type)}");
            if (trigger.Remote is { } remote)
                yaml.AppendLine($"    remote: {YamlScalarText.Format(remote)}");
            if (trigger.Every is { } every)
                yaml.AppendLine($"    every: {DurationText.Format(every)}");
            yaml.AppendLine($"    options: {FlowMap(trigger.Options)}");
        }
    }

    private static void AppendHooks(StringBuilder yaml, IReadOnlyList<HookConfig> hooks)
    {
        yaml.AppendLine(hooks.Count == 0 ? "hooks: []" : "hooks:");
        foreach (var hook in hooks)
        {
            yaml.AppendLine(hook.Name is { } name ? $"  - name: {YamlScalarText.Format(name)}" : "  -");
            yaml.AppendLine($"    events: {FlowList(hook.Events)}");
            yaml.AppendLine($"    command: {FlowList(hook.Command)}");
            yaml.AppendLine($"    shell: {(hook.Shell ? "true" : "false")}");
            if (hook.Filter is { } filter)
                yaml.AppendLine($"    filter: {FilterText(filter)}");
            yaml.AppendLine($"    timeout: {DurationText.Format(hook.Timeout)}");
            yaml.AppendLine($"    env: {FlowMap(hook.Env)}");
        }
    }

    private static string FilterText(HookFilter filter)
    {
        var fields = new List<string>();
        if (filter.Remote is { } remote)
            fields.Add($"remote: {YamlScalarText.Format(remote, inFlow: true)}");
        if (filter.Path is { } path)
            fields.Add($"path: {YamlScalarText.Format(path, inFlow: true)}");
        return $"{{{string.Join(", ", fields)}}}";
    }

    private static string FlowList(IEnumerable<string> items) =>
        $"[{string.Join(", ", items.Select(item => YamlScalarText.Format(item, inFlow: true)))}]";

    private static string FlowMap(IReadOnlyDictionary<string, string> map) =>
        $"{{{string.Join(", ", map.Select(pair => $"{YamlScalarText.Format(pair.Key, inFlow: true)}: {YamlScalarText.Format(pair.Value, inFlow: true)}"))}}}";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
