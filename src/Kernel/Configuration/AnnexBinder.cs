using System.Collections.Immutable;
using Tether.Kernel.Wants;

namespace Tether.Kernel.Configuration;

/// <summary>Binds the annex: section.</summary>
internal static class AnnexBinder
{
    private static readonly ImmutableArray<string> AnnexKeys = ["largefiles", "numcopies", "unlocked", "thin"];
    private static readonly ImmutableArray<string> LargeFileKeys = ["larger_than", "include", "exclude"];
    private const string GlobListExpected = "expected a list of globs such as [\"*.iso\", \"media/**\"]";

    public static AnnexConfig Bind(ConfigNode node)
    {
        var map = node.AsMapping("expected a mapping with largefiles, numcopies, unlocked and thin", AnnexKeys);
        var defaults = new AnnexConfig();
        return new AnnexConfig
        {
            LargeFiles = map.Get("largefiles") is { } largeFiles ? BindLargeFiles(largeFiles) : defaults.LargeFiles,
            NumCopies = map.Get("numcopies")?.AsInt(1, int.MaxValue) ?? defaults.NumCopies,
            Unlocked = map.Get("unlocked")?.AsBool() ?? defaults.Unlocked,
            Thin = map.Get("thin")?.AsBool() ?? defaults.Thin,
        };
    }

    private static LargeFileRule BindLargeFiles(ConfigNode node)
    {
        var map = node.AsMapping("expected a mapping with larger_than, include and exclude", LargeFileKeys);
        return new LargeFileRule
        {
            LargerThan = map.Get("larger_than")?.AsSize() ?? new LargeFileRule().LargerThan,
            Include = map.Get("include")?.AsList(GlobListExpected, BindGlob) ?? [],
            Exclude = map.Get("exclude")?.AsList(GlobListExpected, BindGlob) ?? [],
        };
    }

    internal static string BindGlob(ConfigNode node)
    {
        string pattern = node.AsString(GlobPattern.ExpectedForm);
        try
        {
            _ = new GlobPattern(pattern);
            return pattern;
        }
        catch (ArgumentException)
        {
            throw node.Error($"'{pattern}' is not a usable glob", GlobPattern.ExpectedForm);
        }
    }
}
