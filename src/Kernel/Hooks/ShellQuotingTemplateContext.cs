using System.Collections;
using Scriban;
using Scriban.Parsing;
using Tether.Platform.Quoting;

namespace Tether.Kernel.Hooks;

/// <summary>
/// A Scriban context for <c>shell: true</c> hooks: every value an expression writes to the output is passed
/// through <see cref="ShellQuote"/> (a list: each item, separated by spaces). Literal template text is written
/// as it is. Values cannot escape the quoting, whatever bytes they hold.
/// </summary>
internal sealed class ShellQuotingTemplateContext : TemplateContext
{
    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (textAsObject is null) return this;
        string quoted = textAsObject is IList items
            ? ShellQuote.QuoteAll(items.Cast<object?>().Select(item => ObjectToString(item) ?? ""))
            : ShellQuote.Quote(ObjectToString(textAsObject) ?? "");
        Write(quoted);
        return this;
    }
}
