using Tether.Kernel.Wants;
namespace Tether.Kernel.Configuration;

/// <summary>Decides which files have their content kept in the annex rather than in git.</summary>
public sealed class LargeFileRule
{
    private readonly IReadOnlyList<string> include = [];
    private readonly IReadOnlyList<string> exclude = [];
    private readonly IReadOnlyList<GlobPattern> includeGlobs = [];
    private readonly IReadOnlyList<GlobPattern> excludeGlobs = [];

    /// <summary>Files of at least this size are annexed.</summary>
    public ByteSize LargerThan { get; init; } = new(1024 * 1024);

    /// <summary>Globs of files that are always annexed, whatever their size.</summary>
    public IReadOnlyList<string> Include
    {
        get => include;
        init => (include, includeGlobs) = (value, Compile(value));
    }

    /// <summary>Globs of files that are never annexed; they win over <see cref="Include"/> and size.</summary>
    public IReadOnlyList<string> Exclude
    {
        get => exclude;
        init => (exclude, excludeGlobs) = (value, Compile(value));
    }

    public bool IsLarge(string relativePath, long size)
    {
        if (excludeGlobs.Any(glob => glob.IsMatch(relativePath)))
            return false;
        if (includeGlobs.Any(glob => glob.IsMatch(relativePath)))
            return true;
        return size >= LargerThan.Bytes;
    }

    private static GlobPattern[] Compile(IReadOnlyList<string> patterns) =>
        patterns.Select(pattern => new GlobPattern(pattern)).ToArray();
}
