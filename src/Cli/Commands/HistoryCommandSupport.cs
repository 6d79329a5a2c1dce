using Tether.Kernel.Hooks;
using Tether.Kernel.Repositories;

namespace Tether.Cli.Commands;

/// <summary>What the history commands share: paths the user names made repository-relative, and hooks run before exiting.</summary>
internal static class HistoryCommandSupport
{
    public static string RelativePath(CliContext ctx, AnnexRepository repo, string userPath) =>
        SafePaths.RelativeTo(repo.WorkTree ?? throw new ArgumentException("history needs a work tree; this repository is bare"), Path.Combine(ctx.CurrentDirectory, userPath))
            ?? throw new ArgumentException($"'{userPath}' is outside the repository {repo.WorkTree}");

    public static OneShotHooks Hooks(CliContext ctx, AnnexRepository repo, Kernel.Configuration.TetherConfig config) =>
        new(repo.WorkTree ?? repo.GitDir, config.Hooks, ctx.Logger("hooks"));

    /// <summary>Runs the hooks of the events the command raised, waiting for them (each bounded by its timeout); failures go to stderr.</summary>
    public static async Task RunHooksAsync(CliContext ctx, OneShotHooks hooks, CancellationToken ct)
    {
        foreach (var failed in await hooks.RunAsync(ct))
            await ctx.Error.WriteLineAsync($"tether: hook {failed.Hook} on {failed.Event}: {failed.Outcome}");
    }

    /// <summary>A size as the transfers show it; nothing for a version whose size is not known.</summary>
    public static string Size(long? bytes) => bytes is null ? "" : TransferProgressPrinter.Bytes(bytes);
}
