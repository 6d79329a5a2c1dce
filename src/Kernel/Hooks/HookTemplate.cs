using System.Collections;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Tether.Kernel.Hooks;

/// <summary>
/// One argument of a hook's command: a Scriban template over the event payload (<see cref="HookEventPayload"/>:
/// <c>event</c>, <c>remote.name</c>, <c>commit.id</c>, <c>change.paths</c>, ...). Unknown names are errors
/// (StrictVariables). With <c>shell: true</c>, every value a <c>{{ }}</c> writes is single-quoted for /bin/sh
/// (a list becomes one quoted word per item), so values are never shell syntax; the template's literal text is
/// left as written.
/// </summary>
public sealed class HookTemplate
{
    /// <summary>One argument's bound: Linux refuses a larger one to exec anyway (MAX_ARG_STRLEN is 128 KiB).</summary>
    public const int MaxOutputLength = 1024 * 1024;
    public static readonly TimeSpan MaxRenderTime = TimeSpan.FromSeconds(2);

    private readonly Template _template;

    private HookTemplate(string text, Template template)
    {
        Text = text;
        _template = template;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; the errors (empty when none) carry 1-based line and column within the text.</summary>
    public static HookTemplate? TryParse(string text, out IReadOnlyList<HookTemplateError> errors)
    {
        var template = Template.Parse(text);
        if (template.HasErrors)
        {
            errors = template.Messages
                .Where(m => m.Type == ParserMessageType.Error)
                .Select(m => new HookTemplateError(m.Span.Start.Line + 1, m.Span.Start.Column + 1, m.Message))
                .ToList();
            return null;
        }
        errors = [];
        return new HookTemplate(text, template);
    }

    public static HookTemplate Parse(string text) =>
        TryParse(text, out var errors) ?? throw new HookTemplateException(errors[0]);

    /// <exception cref="HookTemplateException">The template used an unknown name or failed while rendering.</exception>
    public string Render(HookEventPayload payload, bool shellQuoted)
    {
        var context = shellQuoted ? new ShellQuotingTemplateContext() : new TemplateContext();
        context.StrictVariables = true;
        context.LoopLimit = 1_000_000; // a change may hold max_batch (5000 by default) paths
        // Bounds on work, whatever the template does within them: its output, and its time (a loop of
        // 1,000,000 string.pad_left 100000 writes nothing yet ran past a minute).
        context.OutputLimit = MaxOutputLength;
        context.OnOutputLimit = ScriptLimitBehavior.Throw;
        using var deadline = new CancellationTokenSource(MaxRenderTime);
        context.CancellationToken = deadline.Token;
        context.MemberRenamer = member => member.Name; // the model's keys are already the documented snake_case
        var globals = new ScriptObject();
        foreach (var (key, value) in payload.Model)
        {
            // A section that does not apply (null in the JSON) has all its members null here, so that
            // {{ remote.name }} on an event without a remote renders empty while {{ remote.nmae }} is still an error.
            var section = value is null && HookEventPayload.SectionMembers.TryGetValue(key, out var members)
                ? members.ToDictionary(m => m, object? (_) => null)
                : value;
            globals.SetValue(key, ToScript(section), readOnly: true);
        }
        context.PushGlobal(globals);
        try
        {
            return _template.Render(context);
        }
        catch (ScriptAbortException e) when (deadline.IsCancellationRequested)
        {
            throw new HookTemplateException(new HookTemplateError(e.Span.Start.Line + 1, e.Span.Start.Column + 1,
                $"the template ran longer than {MaxRenderTime.TotalSeconds:0} seconds; a hook argument must render at once"));
        }
        catch (ScriptRuntimeException e)
        {
            throw new HookTemplateException(new HookTemplateError(e.Span.Start.Line + 1, e.Span.Start.Column + 1, e.OriginalMessage));
        }
    }

    private static object? ToScript(object? value)
    {
        switch (value)
        {
            case null or string or bool or int or long:
                return value;
            case IDictionary dictionary:
                var obj = new StrictScriptObject();
                foreach (DictionaryEntry entry in dictionary) obj.SetValue((string)entry.Key, ToScript(entry.Value), readOnly: true);
                return obj;
            case IEnumerable items:
                var array = new ScriptArray();
                foreach (var item in items) array.Add(ToScript(item));
                return array;
            default:
                return value;
        }
    }
}
