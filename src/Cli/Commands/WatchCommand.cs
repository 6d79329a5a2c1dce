using System.CommandLine;
using System.Runtime.InteropServices;
using Tether.Cli.Logging;
using Tether.Kernel.Daemon;
using Tether.Kernel.Plugins;
using Tether.Kernel.Events;
using Tether.Kernel.Repositories;

namespace Tether.Cli.Commands;

/// <summary>
/// `tether watch [DIR]`: the daemon, in the foreground. Initialises DIR first if it is a new or plain folder,
/// so `tether watch ~/Sync` is all a new user needs; never another project's git repository (see <see cref="WatchFolder"/>). SIGINT/SIGTERM (or `tether stop`) stop it cleanly.
/// </summary>
public static class WatchCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var dir = new Argument<string?>("DIR") { Description = "The folder to keep in sync (default: the Tether repository you are in, else $TETHER_FOLDER, else ~/Tether); a new or plain folder is initialised, another project's git repository never", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("watch", "Run the sync daemon: commit every change, push to all remotes, merge what arrives") { dir };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var folder = WatchFolder.Choose(parsed.GetValue(dir), ctx.CurrentDirectory, Environment.GetEnvironmentVariable);
            if (folder.Why is not null) await ctx.Out.WriteLineAsync($"tether: no DIR given: watching {folder.Path} ({folder.Why})");
            var repo = await OpenOrInitialiseAsync(ctx, folder.Path, ct);
            if (repo.IsBare) throw new ArgumentException($"{repo.DisplayPath} is a bare repository: there is no folder to watch");
            var config = ctx.LoadConfig(repo);
            Kernel.Git.GitAnnexFilterConfig.Apply(repo, config);
            if (DaemonLock.RunningPid(repo) is { } pid)
                throw new DaemonAlreadyRunningException(repo.DisplayPath, pid);

            // Every path the daemon uses is absolute; its own current folder may be a drive that gets unmounted, after
            // which getcwd fails and so does starting any child process (git, hooks): it is left for the root.
            Directory.SetCurrentDirectory("/");
            using var loggers = DaemonLogging.Create(repo, ctx.Verbose);
            var settings = DaemonSettings.From(config, SyncCommand.DescriptionOf(repo, config.Description, ctx.Clock));
            var (backends, plugins) = BackendRegistryLoader.ForRepository(repo, config, ctx.Clock, loggers.CreateLogger("plugins"));
            var events = new EventBus();
            var daemon = new AssistantDaemon(repo, settings, backends, events, ctx.Clock, loggers,
                () => DaemonSettings.From(ctx.LoadConfig(repo), settings.Description))
            {
                TriggerFactories = plugins.Plugins.SelectMany(p => p.Triggers).ToList(),
            };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; daemon.Stop(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; daemon.Stop(); });
            await ctx.Out.WriteLineAsync($"tether: watching {repo.DisplayPath} (log: {DaemonLogging.LogPathFor(repo)}); Ctrl-C or 'tether stop' stops");
            using var stopDashboard = new CancellationTokenSource();
            var dashboard = DashboardHosting.RunAsync(ctx, repo, config.Web, daemon, events, loggers, stopDashboard.Token);
            try { await daemon.RunAsync(ct); }
            finally
            {
                await stopDashboard.CancelAsync();
                await dashboard;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<AnnexRepository> OpenOrInitialiseAsync(CliContext ctx, string path, CancellationToken ct)
    {
        if (AnnexRepository.TryOpen(path, out var existing) && existing.ReadUuid() is not null) return existing;
        WatchFolder.RefuseForeignRepository(path);
        Directory.CreateDirectory(path);
        var (repo, wroteConfig) = await RepositorySetup.InitialiseAsync(ctx, path, null, bare: false, ct);
        await ctx.Out.WriteLineAsync($"tether: initialised {repo.DisplayPath}{(wroteConfig is null ? "" : $"; its config is {wroteConfig}")}");
        return repo;
    }
}
