using Tether.Kernel.Hooks;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Tether.Kernel.Configuration;

namespace Tether.Kernel.Hooks;

/// <summary>
/// Checks one argument of a hook's command when the config is read: it must parse as a Scriban template and
/// render against a sample of each event the hook listens to (so an unknown name such as <c>{{ remote.nmae }}</c>
/// is an error now, at its file:line:column, not a failed hook later).
/// </summary>
internal static class HookTemplateCheck
{
    private const string Allowed = "a hook argument is a Scriban template over the event: event, at, repo, remote.name, commit.id, commit.summary, "
        + "change.paths, push.ok, transfer.file, error.message, ... (docs/HOOKS.md)";

    public static void Check(ConfigNode item, string text, IReadOnlyList<string> events, bool shell)
    {
        var template = HookTemplate.TryParse(text, out var errors);
        if (template is null) throw ErrorAt(item, errors[0], "the template does not parse");
        foreach (var eventName in events)
        {
            try { template.Render(HookEventPayload.From(HookSamples.For(eventName, DateTimeOffset.UnixEpoch), "/repo"), shell); }
            catch (HookTemplateException e) { throw ErrorAt(item, e.Error, $"the template fails on a '{eventName}' event"); }
        }
    }

    private static ConfigException ErrorAt(ConfigNode item, HookTemplateError error, string what)
    {
        // The template's own line and column, placed within the YAML scalar (after its opening quote, if any).
        bool quoted = item.Node is YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted };
        int line = item.Line + error.Line - 1;
        int column = error.Line == 1 ? (int)item.Node.Start.Column + (quoted ? 1 : 0) + error.Column - 1 : error.Column;
        return new ConfigException(item.FilePath, line, column, item.KeyPath, $"{what}: {error.Message}", Allowed);
    }
}
