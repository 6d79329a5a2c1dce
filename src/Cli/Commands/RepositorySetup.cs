using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Configuration;
using Tether.Kernel.Repositories;

namespace Tether.Cli.Commands;

/// <summary>What `tether init` does, shared with `tether watch` on a folder that is not a repository yet.</summary>
public static class RepositorySetup
{
    /// <summary>Initialises (harmless to repeat) and writes the commented config if it is missing; returns the config path it wrote, if any.</summary>
    public static async Task<(AnnexRepository Repo, string? WroteConfig)> InitialiseAsync(CliContext ctx, string path, string? description, bool bare, CancellationToken ct, bool locked = false)
    {
        var repo = await new RepositoryInitializer(ctx.Clock).InitializeAsync(path, description, bare, ct);
        if (repo.WorkTree is null || ctx.ConfigPath is not null) return (repo, null);
        var configPath = ConfigLoader.DefaultPathFor(repo.WorkTree);
        if (File.Exists(configPath))
        {
            ConfigLoader.Load(configPath); // a broken existing config is reported, not overwritten
            return (repo, null);
        }
        using var branch = new GitAnnexBranch(repo, ctx.Clock);
        ConfigTemplate.Write(configPath, branch.Descriptions().GetValueOrDefault(repo.RequireUuid()) ?? RepositoryInitializer.DefaultDescription(repo), unlocked: !locked);
        Kernel.Git.GitAnnexFilterConfig.Apply(repo, ConfigLoader.Load(configPath));
        return (repo, configPath);
    }
}
