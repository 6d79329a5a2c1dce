#nullable disable // Scriban's own signatures are nullable-oblivious
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Tether.Kernel.Hooks;

/// <summary>
/// A section of the template model (<c>remote</c>, <c>commit</c>, ...) that refuses unknown members, so a
/// misspelt <c>{{ remote.nmae }}</c> is an error (Scriban's StrictVariables covers only top-level names).
/// </summary>
internal sealed class StrictScriptObject : ScriptObject
{
    public override bool TryGetValue(TemplateContext context, SourceSpan span, string member, out object value)
    {
        if (base.TryGetValue(context, span, member, out value)) return true;
        throw new ScriptRuntimeException(span, $"unknown member '{member}' (known here: {string.Join(", ", Keys.Order(StringComparer.Ordinal))})");
    }
}
