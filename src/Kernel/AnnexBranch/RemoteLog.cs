using System.Globalization;
using System.Text;

namespace Tether.Kernel.AnnexBranch;

/// <summary>
/// remote.log: special remotes' config, "&lt;uuid&gt; k=v k=v ... timestamp=&lt;T&gt;s" (sorted keys), newest per UUID wins.
/// Tether records its content-only remotes here as git-annex's initremote does, so another clone (Tether or
/// <c>git annex enableremote NAME</c>) finds the same remote under the same UUID. Values are escaped as git-annex
/// escapes them (Logs/Remote/Pure.hs): whitespace and '&amp;' become <c>&amp;NN;</c> (the character's code).
/// </summary>
public static class RemoteLog
{
    public const string FileName = "remote.log";

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Parse(string? content) =>
        UuidLog.Parse(content).GroupBy(e => e.Uuid).ToDictionary(g => g.Key, g => Fields(g.MaxBy(e => e.Time)!.Description));

    /// <summary>The UUID of the special remote with this name and type, if one is recorded.</summary>
    public static string? Find(string? content, string name, string type) =>
        Parse(content).Where(r => r.Value.GetValueOrDefault("name") == name && r.Value.GetValueOrDefault("type") == type)
            .Select(r => r.Key).Order(StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The special remotes recorded under this name (any type), UUID first.</summary>
    public static IReadOnlyList<(string Uuid, IReadOnlyDictionary<string, string> Fields)> Named(string? content, string name) =>
        Parse(content).Where(r => r.Value.GetValueOrDefault("name") == name).OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => (r.Key, r.Value)).ToList();

    /// <summary>
    /// The settings a backend may take from remote.log, which any peer can write: without the <c>tether-</c> ones,
    /// which are local (a helper program's path, bounds) and are never taken from what others recorded.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Shared(IReadOnlyDictionary<string, string> fields) =>
        fields.Where(f => !f.Key.StartsWith("tether-", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    public static string With(string? content, string uuid, IReadOnlyDictionary<string, string> fields, TimeProvider clock) =>
        UuidLog.WithDescription(content, uuid, string.Join(' ', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={Escape(f.Value)}")), clock);

    /// <summary>git-annex's configEscape: whitespace and '&amp;' as <c>&amp;NN;</c>.</summary>
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || c == '&') sb.Append('&').Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>git-annex's configUnEscape: <c>&amp;NN;</c> back to the character; any other '&amp;' stays.</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('&')) return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var digits = 0;
            while (value[i] == '&' && i + 1 + digits < value.Length && char.IsAsciiDigit(value[i + 1 + digits]) && digits < 7) digits++;
            if (value[i] == '&' && digits > 0 && i + 1 + digits < value.Length && value[i + 1 + digits] == ';'
                && int.Parse(value.AsSpan(i + 1, digits), CultureInfo.InvariantCulture) is var code and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF))
            {
                sb.Append(char.ConvertFromUtf32(code));
                i += digits + 1;
            }
            else sb.Append(value[i]);
        }
        return sb.ToString();
    }

    private static IReadOnlyDictionary<string, string> Fields(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => Unescape(g.Last()[1]));
}
