using System.CommandLine;
using Tether.Kernel.Configuration;
using Tether.Kernel.Git;
using Tether.Kernel.Remotes;
using Tether.Sdk.Backends;

namespace Tether.Cli.Commands;

/// <summary>`tether remote add|list|remove`: edits the YAML config and the git remote together.</summary>
public static class RemoteCommand
{
    public static Command Create(Func<ParseResult, CliContext> context) =>
        new("remote", "Manage the remotes this repository syncs with") { Add(context), Enable(context), List(context), Remove(context) };

    private static Command Add(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("NAME");
        var url = new Argument<string>("PATH-OR-URL");
        var backend = new Option<string?>("--backend") { Description = "How to reach it: local, ssh, rsync, or a plugin's type (default: from the URL: a path is local, host:path and ssh:// are ssh)" };
        var cost = new Option<int?>("--cost") { Description = "Lower is preferred (default by backend: local 100, ssh 200, rsync 200, external: what the remote says, else 200)" };
        var settings = new Option<string[]>("-c") { Description = "A setting for a remote that is set up once (external://TYPE): KEY=VALUE, repeatable (e.g. -c target=mycloud -c prefix=annex)", HelpName = "KEY=VALUE", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("add", "Add a remote") { name, url, backend, cost, settings };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var remoteName = parsed.GetValue(name)!;
            if (!RemoteConfig.IsValidName(remoteName)) throw new ArgumentException($"invalid remote name '{remoteName}': {RemoteConfig.NameRule}");
            var location = NormaliseLocation(parsed.GetValue(url)!, ctx.CurrentDirectory);
            var backendType = parsed.GetValue(backend) ?? RemoteDefaults.BackendFor(location);
            var config = ctx.LoadConfig(repo);
            var backends = ctx.Backends(repo, config);
            var factory = backends.Factories.FirstOrDefault(f => f.Type == backendType)
                ?? throw new ArgumentException($"no backend '{backendType}' (known: {string.Join(", ", backends.Types.Order())}; 'tether plugins' shows what loaded)");
            var given = ParseSettings(parsed.GetValue(settings) ?? []);
            if (given.Count > 0 && factory is not IInitializingBackendFactory)
                throw new ArgumentException($"-c is for remotes that are set up once (external://TYPE); backend '{backendType}' takes none");
            int? askedCost = null;
            if (factory is IInitializingBackendFactory initializing)
            {
                if (config.Remotes.Any(r => r.Name == remoteName)) throw new ArgumentException($"a remote named '{remoteName}' is already in the config");
                var draft = new RemoteConfig { Name = remoteName, Url = location, Backend = backendType, Cost = factory.DefaultCost };
                var setup = await new SpecialRemoteSetup(repo, ctx.Clock, ctx.Logger("backends")).InitializeAsync(initializing, draft.ToRemote(), given, ct);
                askedCost = setup.Cost;
                await ctx.Out.WriteLineAsync($"Set up {remoteName} (uuid {setup.Uuid}): {Describe(setup.Settings)}");
            }
            var remote = new RemoteConfig
            {
                Name = remoteName, Url = location, Backend = backendType,
                Cost = parsed.GetValue(cost) ?? askedCost ?? (backendType == RemoteDefaults.LocalBackend ? RemoteDefaults.CostFor(backendType) : factory.DefaultCost),
            };
            if (remote.Backend == RemoteDefaults.LocalBackend)
            {
                EnsureUsableFolder(remote.Url);
                DistinctRepositoryCheck.EnsureOtherRepository(repo, config.Remotes.Where(r => r.Name != remote.Name), remote.ToRemote().LocalPath);
            }
            if (remote.Backend == "ssh" && Platform.Ssh.SshUrl.TryParse(remote.Url) is { } ssh)
                await CheckServerAsync(ctx, remote.Name, ssh, ct);
            var configPath = ctx.EditableConfigPath(repo);
            if (!File.Exists(configPath)) ConfigTemplate.Write(configPath, SyncCommand.DescriptionOf(repo, null, ctx.Clock));
            ConfigEditor.AddRemote(configPath, remote);
            // A content-only remote (rsync) is no git remote: git-annex would try to fetch from it.
            if (factory.HasGitRepository) new GitTransport(repo).EnsureRemote(remote.Name, remote.Url);
            await ctx.Out.WriteLineAsync($"Added remote {remote.Name} ({remote.Backend}, cost {remote.Cost}): {remote.Url}");
            await TellRunningDaemonAsync(ctx, repo, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// `tether remote enable NAME`: a special remote another clone or git-annex set up (found in remote.log by name) is
    /// added to this repository's config, as `git annex enableremote NAME` does; an external one runs INITREMOTE again.
    /// </summary>
    private static Command Enable(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("NAME");
        var cost = new Option<int?>("--cost") { Description = "Lower is preferred (default: what the remote says, else the backend's)" };
        var command = new Command("enable", "Use a special remote set up elsewhere (git annex initremote, or tether remote add in a clone)") { name, cost };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var remoteName = parsed.GetValue(name)!;
            if (!RemoteConfig.IsValidName(remoteName)) throw new ArgumentException($"invalid remote name '{remoteName}': {RemoteConfig.NameRule}");
            var config = ctx.LoadConfig(repo);
            if (config.Remotes.Any(r => r.Name == remoteName)) throw new ArgumentException($"a remote named '{remoteName}' is already in the config");
            var setup = new SpecialRemoteSetup(repo, ctx.Clock, ctx.Logger("backends"));
            var (uuid, recorded) = setup.Find(remoteName);
            var type = recorded.GetValueOrDefault("type", "");
            var location = type switch
            {
                "external" => $"external://{recorded.GetValueOrDefault("externaltype", "")}",
                "rsync" => recorded.GetValueOrDefault("rsyncurl") ?? throw new ArgumentException($"special remote '{remoteName}' (rsync) records no rsyncurl"),
                _ => throw new ArgumentException($"special remote '{remoteName}' is of type '{type}', which tether cannot use (external and rsync remotes it can)"),
            };
            var backends = ctx.Backends(repo, config);
            var factory = backends.Factories.FirstOrDefault(f => f.Type == type)
                ?? throw new ArgumentException($"no backend '{type}' loaded ('tether plugins' shows what loaded)");
            var draft = new RemoteConfig { Name = remoteName, Url = location, Backend = type, Cost = factory.DefaultCost };
            int? askedCost = null;
            if (factory is IInitializingBackendFactory initializing)
                askedCost = (await setup.EnableAsync(initializing, draft.ToRemote(), uuid, recorded, ct)).Cost;
            else
                new RemoteUuidResolver(repo, new Kernel.Repositories.RepositoryInitializer(ctx.Clock), ctx.Clock).Remember(remoteName, uuid);
            var remote = new RemoteConfig { Name = remoteName, Url = location, Backend = type, Cost = parsed.GetValue(cost) ?? askedCost ?? factory.DefaultCost };
            var configPath = ctx.EditableConfigPath(repo);
            if (!File.Exists(configPath)) ConfigTemplate.Write(configPath, SyncCommand.DescriptionOf(repo, null, ctx.Clock));
            ConfigEditor.AddRemote(configPath, remote);
            await ctx.Out.WriteLineAsync($"Enabled remote {remote.Name} ({remote.Backend}, cost {remote.Cost}, uuid {uuid}): {remote.Url}");
            await TellRunningDaemonAsync(ctx, repo, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>-c KEY=VALUE pairs; a key is what git-annex allows in remote.log (no whitespace, no '=').</summary>
    private static Dictionary<string, string> ParseSettings(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || pair[..eq].Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || pair.Any(c => c is '\n' or '\r' or '\0'))
                throw new ArgumentException($"-c {pair}: give KEY=VALUE (the key without spaces)");
            result[pair[..eq]] = pair[(eq + 1)..];
        }
        return result;
    }

    /// <summary>The settings as recorded in remote.log (readable by anyone with the repository: no secrets go there).</summary>
    private static string Describe(IReadOnlyDictionary<string, string> settings) =>
        string.Join(' ', settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "List the remotes");
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var config = ctx.LoadConfig(repo);
            using var git = repo.OpenGit();
            foreach (var remote in config.Remotes)
            {
                var uuid = git.Config.Get<string>($"remote.{remote.Name}.annex-uuid")?.Value ?? "(uuid not known yet: sync once)";
                var ours = git.Head.FriendlyName;
                var theirs = Kernel.Git.PeerMainLine.For(git, remote.Name, ours);
                var mainLine = theirs == ours ? "" : $"\tbranch {ours} <-> {theirs}"; // a peer on master, we on main: synced all the same
                await ctx.Out.WriteLineAsync($"{remote.Name}\t{remote.Backend}\tcost {remote.Cost}\t{remote.Url}\t{uuid}{mainLine}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("NAME");
        var command = new Command("remove", "Remove a remote (its content and history stay where they are)") { name };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            ConfigEditor.RemoveRemote(ctx.EditableConfigPath(repo), parsed.GetValue(name)!);
            await new Kernel.Topology.TopologyRecorder(repo, ctx.Clock).RecordRemovedAsync(parsed.GetValue(name)!, ct);
            new GitTransport(repo).RemoveRemote(parsed.GetValue(name)!);
            await ctx.Out.WriteLineAsync($"Removed remote {parsed.GetValue(name)}");
            await TellRunningDaemonAsync(ctx, repo, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Refuses a server that will refuse what syncing needs (a read-only key: every push and upload; a path its key may
    /// not reach), before anything is changed; says what an append-only key means. An unreachable server is only noted.
    /// </summary>
    private static async Task CheckServerAsync(CliContext ctx, string name, Platform.Ssh.SshUrl url, CancellationToken ct)
    {
        var answer = await SshRemoteProbe.AskAsync(url, ct);
        if (answer.Refusal is { } refusal)
            throw new ArgumentException($"{name}: the server refused this key: {refusal}; nothing was changed");
        switch (answer.Access)
        {
            case null:
                await ctx.Out.WriteLineAsync($"note: could not check {name} now ({answer.Problem}); adding it anyway");
                break;
            case Kernel.Shell.ShellAccess.ReadOnly:
                throw new ArgumentException($"{name}: this key is read-only on the server (tether shell --forced --read-only): it refuses every push " +
                                            "and upload, and Tether pushes to the remotes it syncs with; ask the server's owner for an append-only key " +
                                            "('tether ssh-authorize KEYFILE --append-only' there); nothing was changed");
            case Kernel.Shell.ShellAccess.AppendOnly:
                await ctx.Out.WriteLineAsync($"note: {name} is append-only for this key: content and history are added there, never removed or rewritten " +
                                             "(a drop from it is refused)");
                break;
        }
    }

    /// <summary>A local remote must be a folder this user can read; refused before the config or git is touched.</summary>
    private static void EnsureUsableFolder(string path)
    {
        if (File.Exists(path)) throw new ArgumentException($"'{path}' is a file, not a folder: a local remote is a repository folder");
        if (!Directory.Exists(path))
            throw new ArgumentException($"'{path}' does not exist (make it with 'tether init {path}' or 'git init --bare {path}')");
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            entries.MoveNext();
        }
        catch (UnauthorizedAccessException)
        {
            throw new ArgumentException($"'{path}' cannot be read (permission denied): a remote folder must be readable (and writable, to send to it) by {Environment.UserName}");
        }
    }

    /// <summary>Relative paths become absolute (the config is read from elsewhere later); URLs stay as given.</summary>
    private static string NormaliseLocation(string url, string currentDirectory) =>
        RemoteDefaults.BackendFor(url) == RemoteDefaults.LocalBackend && !url.StartsWith("file://", StringComparison.Ordinal)
            ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(url, currentDirectory))
            : url;

    /// <summary>A running daemon picks up the change at once (its config is reloaded).</summary>
    private static async Task TellRunningDaemonAsync(CliContext ctx, Kernel.Repositories.AnnexRepository repo, CancellationToken ct)
    {
        if (await Kernel.Control.ControlClient.SendAsync(repo, new Kernel.Control.ControlRequest(Kernel.Control.ControlCommand.Reload), ct) is { } response)
            await ctx.Out.WriteLineAsync($"daemon: {response.Message}");
    }
}
