using System.Text;

namespace Tether.Sdk.Keys;

/// <summary>git-annex's escaping of a key into a single file name: &amp;→&amp;a, %→&amp;s, :→&amp;c, /→%.</summary>
public static class KeyFileName
{
    public static string Escape(Key key) => Escape(key.ToString());

    public static string Escape(string serializedKey)
    {
        if (serializedKey.IndexOfAny(['&', '%', ':', '/']) < 0) return serializedKey;
        var sb = new StringBuilder(serializedKey.Length + 8);
        foreach (var c in serializedKey)
        {
            switch (c)
            {
                case '&': sb.Append("&a"); break;
                case '%': sb.Append("&s"); break;
                case ':': sb.Append("&c"); break;
                case '/': sb.Append('%'); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    public static bool TryUnescape(string fileName, out Key key)
    {
        var sb = new StringBuilder(fileName.Length);
        for (var i = 0; i < fileName.Length; i++)
        {
            var c = fileName[i];
            if (c == '%') { sb.Append('/'); continue; }
            if (c != '&') { sb.Append(c); continue; }
            if (++i >= fileName.Length) { key = null!; return false; }
            switch (fileName[i])
            {
                case 'a': sb.Append('&'); break;
                case 's': sb.Append('%'); break;
                case 'c': sb.Append(':'); break;
                default: key = null!; return false;
            }
        }
        return Key.TryParse(sb.ToString(), out key);
    }
}
