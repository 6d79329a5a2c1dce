namespace Tether.Kernel.Hooks;

/// <summary>A problem in a hook's command template, at a 1-based line and column of the template text.</summary>
public sealed record HookTemplateError(int Line, int Column, string Message)
{
    public override string ToString() => $"{Line}:{Column}: {Message}";
}
