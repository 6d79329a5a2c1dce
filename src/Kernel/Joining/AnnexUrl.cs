using System.Text;
using System.Text.RegularExpressions;

namespace Tether.Kernel.Joining;

/// <summary>
/// git-remote-annex's complete URL, <c>annex::&lt;uuid&gt;?type=…&amp;key=value…</c>: a special remote's UUID and the
/// remote.log fields it was set up with (git-annex's <c>doc/git-remote-annex.mdwn</c>; keys and values
/// percent-escaped, as its parser unescapes them), from which another node sets up the same remote (same UUID, same
/// cipher). Tether adds one thing git-annex's parser never reads (it takes only the query): the fragment
/// <c>#git=none</c> for a remote that carries content only; without it, as in every URL git-annex makes, the git level
/// rides on the remote. What arrives here is hostile: bounded in length, every field checked, each error naming it.
/// </summary>
public sealed partial record AnnexUrl(string Uuid, IReadOnlyDictionary<string, string> Fields, bool GitRides)
{
    public const string Prefix = "annex::";

    /// <summary>Far more than any remote's fields (a hybrid cipher to a few keys is some kilobytes).</summary>
    public const int MaxLength = 64 * 1024;

    public const string ContentOnlyFragment = "git=none";
    public const string GitFragment = "git=bundles";

    public static bool IsAnnexUrl(string text) => text.StartsWith(Prefix, StringComparison.Ordinal);

    public string Type => Fields[AnnexUrlFields.Type];

    /// <summary>The URL for a remote as remote.log records it: every field but the local ones (name, timestamp, tether-*).</summary>
    public static AnnexUrl ForRecord(string uuid, IReadOnlyDictionary<string, string> recorded, bool gitRides) =>
        new(uuid, recorded.Where(f => AnnexUrlFields.Travels(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal), gitRides);

    /// <summary>type first, the cipher last (the long one), the rest in order between.</summary>
    public string Format()
    {
        var ordered = Fields.OrderBy(f => f.Key == AnnexUrlFields.Type ? 0 : f.Key == Encryption.StoredCipher.CipherField ? 2 : 1)
            .ThenBy(f => f.Key, StringComparer.Ordinal);
        var query = string.Join('&', ordered.Select(f => $"{Escape(f.Key)}={Escape(f.Value)}"));
        return $"{Prefix}{Uuid}?{query}{(GitRides ? "" : "#" + ContentOnlyFragment)}";
    }

    public override string ToString() => $"{Prefix}{Uuid}?type={Fields.GetValueOrDefault(AnnexUrlFields.Type)}&…"; // never the cipher

    /// <exception cref="AnnexUrlException">Too long, not the complete form, or a malformed, unknown or inconsistent field (named).</exception>
    public static AnnexUrl Parse(string text)
    {
        if (text.Length > MaxLength) throw new AnnexUrlException($"the annex:: URL is {text.Length} characters long, more than {MaxLength}: refused");
        if (!IsAnnexUrl(text)) throw new AnnexUrlException("not an annex:: URL (it starts with 'annex::')");
        var rest = text[Prefix.Length..];
        string? fragment = null;
        var hash = rest.IndexOf('#');
        if (hash >= 0) (rest, fragment) = (rest[..hash], rest[(hash + 1)..]);
        var question = rest.IndexOf('?');
        var uuid = question < 0 ? rest : rest[..question];
        if (uuid.Length == 0)
            throw new AnnexUrlException("the short form 'annex::' names a remote already set up in a repository; give the complete URL " +
                                        "('tether remote info NAME --url' prints it on a node that has the remote)");
        if (uuid.StartsWith("http", StringComparison.OrdinalIgnoreCase) && uuid.Contains("://", StringComparison.Ordinal))
            throw new AnnexUrlException("annex::http(s):// URLs (a web page holding the URL) are not supported: give the complete annex::UUID?... URL");
        if (!UuidPattern().IsMatch(uuid))
            throw new AnnexUrlException($"the UUID in the annex:: URL, '{Printable(uuid)}', is malformed (expected the form 01234567-89ab-cdef-0123-456789abcdef)");
        if (question < 0) throw new AnnexUrlException($"the annex:: URL has no fields after {uuid} (expected ?type=...&encryption=...)");
        var gitRides = fragment switch
        {
            null or GitFragment => true,
            ContentOnlyFragment => false,
            _ => throw new AnnexUrlException($"the annex:: URL ends in '#{Printable(fragment)}': only #{GitFragment} or #{ContentOnlyFragment} is known"),
        };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = rest[(question + 1)..];
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0) throw new AnnexUrlException("the annex:: URL has an empty field (two '&' in a row, or one at an end)");
            var eq = part.IndexOf('=');
            var name = Unescape(eq < 0 ? part : part[..eq], null);
            if (!AnnexUrlFields.IsWellFormedName(name)) throw new AnnexUrlException($"the annex:: URL has a malformed field name '{Printable(name)}'");
            if (eq < 0) throw new AnnexUrlException($"field '{name}' of the annex:: URL has no value (give {name}=VALUE)");
            var value = Unescape(part[(eq + 1)..], name);
            if (!fields.TryAdd(name, value)) throw new AnnexUrlException($"field '{name}' is given twice in the annex:: URL");
        }
        AnnexUrlFields.Check(fields);
        return new AnnexUrl(uuid, fields, gitRides);
    }

    /// <summary>Percent-escapes all but unreserved characters and the few a query keeps readable (':', '/', '@', ',').</summary>
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':' or '/' or '@' or ',') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Strict percent-decoding: only characters a URL's query may hold raw, well-formed %XX, UTF-8, no control characters.</summary>
    private static string Unescape(string text, string? field)
    {
        var what = field is null ? "a field name of the annex:: URL" : $"field '{field}' of the annex:: URL";
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                    throw new AnnexUrlException($"{what} has a malformed escape ('%' not followed by two hex digits)");
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (IsRawQueryCharacter(c)) bytes.Add((byte)c);
            else throw new AnnexUrlException($"{what} holds '{Printable(c.ToString())}', which a URL must percent-escape");
        }
        string decoded;
        try { decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray()); }
        catch (DecoderFallbackException) { throw new AnnexUrlException($"{what} is not UTF-8 once unescaped"); }
        if (decoded.Any(char.IsControl)) throw new AnnexUrlException($"{what} holds a control character (newline, NUL, ...): refused");
        return decoded;
    }

    /// <summary>RFC 3986's characters of a query other than '&amp;' (the separator) and '%' (escapes): unreserved, sub-delims, ':', '@', '/', '?'.</summary>
    private static bool IsRawQueryCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '!' or '$' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@' or '/' or '?';

    internal static string Printable(string text) => new(text.Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex UuidPattern();
}
