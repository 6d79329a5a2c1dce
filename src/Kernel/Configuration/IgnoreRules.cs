namespace Tether.Kernel.Configuration;

/// <summary>
/// ignore: this node's own ignore globs (gitignore syntax, not synced), on top of the .gitignore files in the tree. The
/// defaults are OS litter and editor temp files (vim's swap files, Office's owner files, the
/// temp file GNOME's GIO writes before renaming it over the document it saves); a list in the config replaces them.
/// </summary>
public static class IgnoreRules
{
    public static readonly IReadOnlyList<string> Defaults = [".DS_Store", "Thumbs.db", "*.swp", "~$*", ".goutputstream-*"];
}
