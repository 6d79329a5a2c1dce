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

    /// <summary>
    /// The rule in git-annex's annex.largefiles syntax, so git-annex's own filter (a user's `git add`, or `git status`
    /// looking at a changed file) annexes what Tether annexes, and leaves small files to git. Sizes match exactly;
    /// git-annex's globs let `*` cross folders, where Tether's stay within one.
    /// </summary>
    public string ToGitAnnexExpression()
    {
        var expression = $"largerthan={Math.Max(LargerThan.Bytes - 1, 0)}b";
        if (Include.Count > 0) expression = $"({string.Join(" or ", [expression, .. Include.Select(g => $"include={GitAnnexGlob(g)}")])})";
        if (Exclude.Count > 0) expression = $"{expression} and {string.Join(" and ", Exclude.Select(g => $"exclude={GitAnnexGlob(g)}"))}";
        return expression;
    }

    /// <summary>A glob without '/' matches at any depth in Tether, as in git-annex; '**' means the same there as '*'.</summary>
    private static string GitAnnexGlob(string glob) => glob.Replace("**", "*");

    private static GlobPattern[] Compile(IReadOnlyList<string> patterns) =>
        patterns.Select(pattern => new GlobPattern(pattern)).ToArray();
}
