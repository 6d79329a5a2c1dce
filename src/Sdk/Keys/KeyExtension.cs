using System.Text;

namespace Tether.Sdk.Keys;

/// <summary>The extension E backends (SHA256E...) keep from a file name, by git-annex's rules.</summary>
public static class KeyExtension
{
    private const int MaxPartBytes = 4;
    private const int MaxParts = 2;

    public static string For(string fileName)
    {
        var name = Path.GetFileName(fileName).TrimStart('.');
        var firstDot = name.IndexOf('.');
        if (firstDot < 0) return "";
        var parts = name[(firstDot + 1)..].Split('.');
        var kept = new List<string>();
        for (var i = parts.Length - 1; i >= 0 && kept.Count < MaxParts; i--)
        {
            if (!IsShortExtensionPart(parts[i])) break;
            kept.Insert(0, parts[i]);
        }
        return kept.Count == 0 ? "" : "." + string.Join('.', kept);
    }

    private static bool IsShortExtensionPart(string part) =>
        part.Length > 0
        && Encoding.UTF8.GetByteCount(part) <= MaxPartBytes
        && part.All(c => char.IsAsciiLetterOrDigit(c) || c > 127);
}
