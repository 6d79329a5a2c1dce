using LibGit2Sharp;

namespace Tether.Kernel.Git;

/// <summary>
/// The system git's side of the annex filter: where git-annex is installed, its filter is configured exactly as `git annex
/// init` does, so `git status`, `git add`, `git checkout` and `git stash` treat unlocked files as in any git-annex v10
/// repository. Without git-annex nothing is configured (git then sees an unlocked file's content where the index has its
/// pointer, and reports it modified; Tether itself does not depend on it). A filter the user configured is kept.
/// </summary>
public static class GitAnnexFilterConfig
{
    private static readonly (string Name, string Value)[] GitAnnexFilter =
    [
        ("filter.annex.smudge", "git-annex smudge -- %f"),
        ("filter.annex.clean", "git-annex smudge --clean -- %f"),
        ("filter.annex.process", "git-annex filter-process"),
    ];

    /// <summary>The system git's annex filter and annex.largefiles for a work tree, as the config says (bare repositories have none).</summary>
    public static void Apply(Repositories.AnnexRepository repo, Configuration.TetherConfig config)
    {
        if (repo.IsBare) return;
        using var git = repo.OpenGit();
        Ensure(git);
        MirrorLargeFiles(git, config.Annex.LargeFiles);
        MirrorThin(git, config.Annex.Thin);
    }

    /// <summary>
    /// Mirrors annex.thin into git's config, where the object store reads it (one place for the daemon, one-shot commands
    /// and git-annex's own filter on the same repository).
    /// </summary>
    public static void MirrorThin(Repository git, bool thin)
    {
        if (git.Config.Get<bool>("annex.thin", ConfigurationLevel.Local)?.Value == thin) return;
        if (thin) git.Config.Set("annex.thin", true, ConfigurationLevel.Local);
        else git.Config.Unset("annex.thin", ConfigurationLevel.Local);
    }

    /// <summary>Mirrors the large-file rule into annex.largefiles, so git-annex's filter decides as Tether does.</summary>
    public static void MirrorLargeFiles(Repository git, Configuration.LargeFileRule rule)
    {
        var expression = rule.ToGitAnnexExpression();
        if (git.Config.Get<string>("annex.largefiles", ConfigurationLevel.Local)?.Value != expression)
            git.Config.Set("annex.largefiles", expression, ConfigurationLevel.Local);
    }

    public static void Ensure(Repository git)
    {
        if (!GitAnnexInstalled()) return;
        foreach (var (name, value) in GitAnnexFilter)
            if (git.Config.Get<string>(name, ConfigurationLevel.Local) is null) git.Config.Set(name, value, ConfigurationLevel.Local);
    }

    private static bool GitAnnexInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, "git-annex")));
}
