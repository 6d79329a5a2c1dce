namespace Tether.Kernel.Hooks;

/// <summary>A hook's command template could not be parsed or rendered.</summary>
public sealed class HookTemplateException(HookTemplateError error) : Exception($"template error at {error}")
{
    public HookTemplateError Error { get; } = error;
}
