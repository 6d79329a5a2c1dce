using System.CommandLine;
using Tether.Kernel.Backends;
using Tether.Kernel.Plugins;
using Tether.Kernel.Repositories;

namespace Tether.Cli.Commands;

/// <summary>`tether plugins`: the folders searched, each plugin with its version, backends and triggers, and what failed to load.</summary>
public static class PluginsCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("plugins", "List the plugins loaded (backends and triggers they provide) and the ones that failed");
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            string? repoRoot = null;
            var config = Kernel.Configuration.TetherConfig.Default;
            if (AnnexRepository.TryOpen(ctx.CurrentDirectory, out var repo))
            {
                repoRoot = repo.WorkTree ?? repo.GitDir;
                config = ctx.LoadConfig(repo);
            }
            var roots = PluginFolders.For(repoRoot, config.Plugins.Folders);
            var host = new PluginHost();
            host.LoadFrom(roots);
            var output = ctx.Out;
            await output.WriteLineAsync($"Plugin folders searched (contracts Tether.Sdk {PluginHost.ContractsDisplayVersion}):");
            foreach (var root in roots) await output.WriteLineAsync($"  {root}{(Directory.Exists(root) ? "" : " (absent)")}");
            await output.WriteLineAsync($"Built in: backend {LocalPathBackendFactory.TypeName} (cost 100); trigger {Kernel.Triggers.IntervalTriggerFactory.TypeName}");
            if (host.Plugins.Count == 0) await output.WriteLineAsync("No plugins loaded.");
            foreach (var plugin in host.Plugins)
            {
                await output.WriteLineAsync($"{plugin.Name} {plugin.Version}  ({plugin.Folder})");
                await output.WriteLineAsync($"  backends: {(plugin.Backends.Count == 0 ? "(none)" : string.Join(", ", plugin.Backends.Select(b => $"{b.Type} (cost {b.DefaultCost}{(b.HasGitRepository ? "" : ", content only")})")))}");
                await output.WriteLineAsync($"  triggers: {(plugin.Triggers.Count == 0 ? "(none)" : string.Join(", ", plugin.Triggers.Select(t => t.Type)))}");
            }
            if (host.Errors.Count > 0)
            {
                await output.WriteLineAsync("Load errors (these folders were skipped; everything else works):");
                foreach (var error in host.Errors) await output.WriteLineAsync($"  {error.Folder}: {error.Message}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
