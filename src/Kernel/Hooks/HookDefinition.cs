using Tether.Kernel.Configuration;
using Tether.Platform.Quoting;
using Tether.Kernel.Wants;

namespace Tether.Kernel.Hooks;

/// <summary>A hook from the YAML config, its command templates parsed once: which events it takes, and the argv for one.</summary>
public sealed class HookDefinition
{
    private readonly IReadOnlyList<HookTemplate>? _templates;
    private readonly string? _templateError;
    private readonly GlobPattern? _path;

    public HookDefinition(HookConfig config, int index)
    {
        Config = config;
        Name = config.Name ?? $"hooks[{index}]";
        _path = config.Filter?.Path is { } glob ? new GlobPattern(glob) : null;
        var templates = new List<HookTemplate>();
        foreach (var argument in config.Command)
        {
            var template = HookTemplate.TryParse(argument, out var errors);
            if (template is null)
            {
                _templateError = $"command template '{argument}': {errors[0]}";
                break;
            }
            templates.Add(template);
        }
        if (_templateError is null) _templates = templates;
    }

    public HookConfig Config { get; }

    public string Name { get; }

    /// <summary>Listens to the event, and the event passes the filter (a remote filter needs an event about that
    /// remote; a path filter needs at least one of the event's paths to match).</summary>
    public bool Takes(HookEventPayload payload) => Config.Events.Contains(payload.EventName) && PassesFilter(payload);

    public bool PassesFilter(HookEventPayload payload)
    {
        if (Config.Filter?.Remote is { } remote && payload.Remote != remote) return false;
        if (_path is not null && !payload.Paths.Any(_path.IsMatch)) return false;
        return true;
    }

    /// <exception cref="HookTemplateException">A template failed to parse or render.</exception>
    public HookCommandLine CommandFor(HookEventPayload payload)
    {
        if (_templates is null) throw new InvalidOperationException(_templateError);
        var rendered = _templates.Select(t => t.Render(payload, Config.Shell)).ToList();
        if (Config.Shell) return HookCommandLine.Shell(string.Join(' ', rendered));
        return new HookCommandLine(rendered[0], rendered.Skip(1).ToList());
    }

    /// <summary>The command as configured (templates unrendered), for listings.</summary>
    public string DisplayCommand() => Config.Shell
        ? "/bin/sh -c " + ShellQuote.Quote(string.Join(' ', Config.Command))
        : new HookCommandLine(Config.Command[0], Config.Command.Skip(1).ToList()).Display();
}
