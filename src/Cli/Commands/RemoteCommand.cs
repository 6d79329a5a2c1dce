using System.CommandLine;
using Tether.Kernel.Configuration;
using Tether.Kernel.Git;
using Tether.Kernel.Remotes;
using Tether.Sdk.Backends;

namespace Tether.Cli.Commands;

/// <summary>`tether remote add|enable|info|list|remove`: edits the YAML config and the git remote together.</summary>
public static class RemoteCommand
{
    public static Command Create(Func<ParseResult, CliContext> context) =>
        new("remote", "Manage the remotes this repository syncs with") { Add(context), Enable(context), RemoteInfoCommand.Create(context), List(context), Remove(context) };

    private static Command Add(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("NAME") { Description = "What to call it, e.g. server or backup (letters, digits, '.', '_', '-')" };
        var url = new Argument<string>("PATH-OR-URL") { Description = "A repository folder here (/path, ../path), or over ssh: user@host:path, ssh://user@host[:port]/path; external://TYPE for a special remote; " +
                                                                      "annex::UUID?... (from 'tether remote info NAME --url' on another node) to join a content-only remote set up there" };
        var backend = new Option<string?>("--backend") { Description = "How to reach it: local, ssh, rsync, or a plugin's type (default: from the URL: a path is local, host:path and ssh:// are ssh)" };
        var cost = new Option<int?>("--cost") { Description = "Lower is preferred (default by backend: local 100, ssh 200, rsync 200, external: what the remote says, else 200)" };
        var settings = new Option<string[]>("-c") { Description = "A setting for a remote that is set up once (external://TYPE): KEY=VALUE, repeatable (e.g. -c target=mycloud -c prefix=annex)", HelpName = "KEY=VALUE", Arity = ArgumentArity.ZeroOrMore };
        var transfer = new Option<bool>("--transfer") { Description = "A transfer point (a cloud that bridges nodes never online together; git-annex's transfer group): it holds a file only until every node that wants it has it, then it is dropped there. For remotes set up once (external://TYPE, rsync)" };
        var bandwidth = new Option<string?>("--bandwidth-limit") { Description = "Send and fetch at most this fast, e.g. 2MiB/s or 500kB/s (default: no limit)", HelpName = "RATE" };
        var wants = new Option<string[]>("--wants") { Description = "What content it is sent: all (default), none (git only), or a glob such as 'photos/**' (repeatable)", HelpName = "all|none|GLOB", Arity = ArgumentArity.ZeroOrMore };
        var encryption = new Option<string?>("--encryption") { Description = "For a content-only remote (rsync, external://TYPE): none, shared (the cipher is kept in the repository: anyone with it can decrypt) or hybrid (the cipher is encrypted to --keyid's gpg key). git-annex's formats: either tool reads the other's remote. Required for external://TYPE (a cloud): give none to store plaintext there", HelpName = "none|shared|hybrid" };
        var keyId = new Option<string?>("--keyid") { Description = "With --encryption hybrid: the gpg key (id, fingerprint or email) the cipher is encrypted to", HelpName = "KEY" };
        var mac = new Option<string?>("--mac") { Description = "With --encryption: how keys are named on the remote, HMACSHA1 (default, as git-annex), HMACSHA224, HMACSHA256, HMACSHA384 or HMACSHA512", HelpName = "MAC" };
        var git = new Option<bool>("--git") { Description = "For a content-only remote (rsync, external://TYPE): the git level rides on it too, as git bundles in git-remote-annex's format (writes 'git: bundles' in the config), so nodes that share only this remote sync names and history as well" };
        var init = new Option<bool>("--init") { Description = "An ssh remote whose path is not a repository yet: make it one there first (runs 'tether init PATH' over ssh)" };
        var command = new Command("add", "Add a remote: a repository folder, or one on another machine over ssh (checked before it is added)") { name, url, backend, cost, bandwidth, wants, settings, init, transfer, encryption, keyId, mac, git };
        command.SetAction(async (parsed, ct) =>
        {
            using var ctx = context(parsed);
            var repo = ctx.OpenRepository();
            var remoteName = parsed.GetValue(name)!;
            if (!RemoteConfig.IsValidName(remoteName)) throw new ArgumentException($"invalid remote name '{remoteName}': {RemoteConfig.NameRule}");
            if (Kernel.Joining.AnnexUrl.IsAnnexUrl(parsed.GetValue(url)!))
            {
                var carried = new (bool Given, string Option)[]
                {
                    (parsed.GetValue(backend) is not null, "--backend"), ((parsed.GetValue(settings) ?? []).Length > 0, "-c"),
                    (parsed.GetValue(encryption) is not null, "--encryption"), (parsed.GetValue(keyId) is not null, "--keyid"), (parsed.GetValue(mac) is not null, "--mac"),
                    (parsed.GetValue(git), "--git"), (parsed.GetValue(init), "--init"), (parsed.GetValue(transfer), "--transfer"),
                }.Where(o => o.Given).Select(o => o.Option).ToList();
                if (carried.Count > 0)
                    throw new ArgumentException($"{string.Join(", ", carried)}: an annex:: URL carries the remote's type, settings, encryption and whether git rides on it; " +
                                                "give it alone (--cost, --wants and --bandwidth-limit are this node's own); nothing was changed");
                var joining = new RemoteJoinCommand.Choices(parsed.GetValue(cost), ParseBandwidthLimit(parsed.GetValue(bandwidth)), ParseWants(parsed.GetValue(wants) ?? []));
                return await RemoteJoinCommand.JoinAsync(ctx, remoteName, parsed.GetValue(url)!, joining, ct);
            }
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
            if (parsed.GetValue(transfer) && factory is not IInitializingBackendFactory)
                throw new ArgumentException($"--transfer is for content-only remotes that are set up once (external://TYPE, rsync); backend '{backendType}' is a repository of its own");
            var scheme = EncryptionChoice(parsed.GetValue(encryption), parsed.GetValue(keyId), parsed.GetValue(mac), factory, remoteName, location);
            if (parsed.GetValue(git) && factory.HasGitRepository)
                throw new ArgumentException($"--git is for content-only remotes (rsync, external://TYPE); '{remoteName}' ({backendType}) is a git repository already, " +
                                            "so its git level syncs with it directly; nothing was changed");
            SpecialRemoteSetup.Result? recorded = null;
            if (factory is not IInitializingBackendFactory && scheme is not null)
            {
                if (config.Remotes.Any(r => r.Name == remoteName)) throw new ArgumentException($"a remote named '{remoteName}' is already in the config");
                var draft = new RemoteConfig { Name = remoteName, Url = location, Backend = backendType, Cost = factory.DefaultCost };
                var fields = new Dictionary<string, string>(await EncryptionFieldsAsync(repo, remoteName, scheme.Value, parsed.GetValue(keyId), parsed.GetValue(mac), ct), StringComparer.Ordinal)
                {
                    [backendType == "rsync" ? "rsyncurl" : "url"] = location,
                };
                recorded = await new SpecialRemoteSetup(repo, ctx.Clock, ctx.Logger("backends")).RecordAsync(draft.ToRemote(), fields, ct);
                await ctx.Out.WriteLineAsync($"Set up {remoteName} (uuid {recorded.Uuid}): {Describe(recorded.Settings)}");
            }
            if (factory is IInitializingBackendFactory initializing)
            {
                if (config.Remotes.Any(r => r.Name == remoteName)) throw new ArgumentException($"a remote named '{remoteName}' is already in the config");
                var draft = new RemoteConfig { Name = remoteName, Url = location, Backend = backendType, Cost = factory.DefaultCost };
                var encryptionFields = await EncryptionFieldsAsync(repo, remoteName, scheme!.Value, parsed.GetValue(keyId), parsed.GetValue(mac), ct);
                var setup = await new SpecialRemoteSetup(repo, ctx.Clock, ctx.Logger("backends")).InitializeAsync(initializing, draft.ToRemote(), given, ct, encryptionFields);
                recorded = setup;
                askedCost = setup.Cost;
                await ctx.Out.WriteLineAsync($"Set up {remoteName} (uuid {setup.Uuid}): {Describe(setup.Settings)}");
            }
            if (recorded is not null)
            {
                if (parsed.GetValue(transfer))
                {
                    await Kernel.TransferPoints.TransferPointMarking.MarkAsync(repo, recorded.Uuid, ctx.Clock, ct);
                    await ctx.Out.WriteLineAsync($"{remoteName} is a transfer point: it holds a file only until every node that wants it has it");
                }
            }
            var remote = new RemoteConfig
            {
                Name = remoteName, Url = location, Backend = backendType,
                Cost = parsed.GetValue(cost) ?? askedCost ?? (backendType == RemoteDefaults.LocalBackend ? RemoteDefaults.CostFor(backendType) : factory.DefaultCost),
                BandwidthLimit = ParseBandwidthLimit(parsed.GetValue(bandwidth)),
                Wants = ParseWants(parsed.GetValue(wants) ?? []),
                GitBundles = parsed.GetValue(git),
            };
            if (remote.Backend == RemoteDefaults.LocalBackend)
            {
                EnsureUsableFolder(remote.Url);
                DistinctRepositoryCheck.EnsureOtherRepository(repo, config.Remotes.Where(r => r.Name != remote.Name), remote.ToRemote().LocalPath);
            }
            if (parsed.GetValue(init) && remote.Backend != "ssh") throw new ArgumentException("--init is for ssh remotes; for a folder here, run 'tether init PATH' first");
            if (remote.Backend == "ssh" && Platform.Ssh.SshUrl.TryParse(remote.Url) is { } ssh)
                await CheckServerAsync(ctx, remote.Name, ssh, parsed.GetValue(init), ct);
            var configPath = ctx.EditableConfigPath(repo);
            if (!File.Exists(configPath)) ConfigTemplate.Write(configPath, SyncCommand.DescriptionOf(repo, null, ctx.Clock));
            ConfigEditor.AddRemote(configPath, remote);
            // A content-only remote (rsync) is no git remote: git-annex would try to fetch from it.
            if (factory.HasGitRepository) new GitTransport(repo).EnsureRemote(remote.Name, remote.Url);
            await ctx.Out.WriteLineAsync($"Added remote {remote.Name} ({remote.Backend}, cost {remote.Cost}): {remote.Url}");
            if (remote.GitBundles)
                await ctx.Out.WriteLineAsync($"The git level rides on {remote.Name} too (git: bundles). Another node joins it with " +
                                             $"'tether remote add {remote.Name} URL', the URL from 'tether remote info {remote.Name} --url' (after a first sync)");
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
        var name = new Argument<string>("NAME") { Description = "The remote's name ('tether remote list' shows them)" };
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
            var encrypted = await CheckCipherAsync(repo, remoteName, uuid, recorded, ct);
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
            if (encrypted is { } opened)
            {
                new Kernel.Encryption.CipherPin(repo, remoteName, uuid).Pin(opened.Cipher);
                await ctx.Out.WriteLineAsync($"{remote.Name} is encrypted ({opened.Stored.Describe()}): its content and key names are decrypted here");
            }
            await TellRunningDaemonAsync(ctx, repo, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static ByteRate? ParseBandwidthLimit(string? text)
    {
        if (text is null) return null;
        if (!ByteRate.TryParse(text, out var rate)) throw new ArgumentException($"--bandwidth-limit '{text}' is not a rate: {ByteRate.ExpectedForm}");
        if (rate.BytesPerSecond <= 0) throw new ArgumentException("--bandwidth-limit 0 would stop all transfers: leave it out for no limit");
        return rate;
    }

    /// <summary>--wants all, --wants none, or one --wants per glob.</summary>
    internal static Kernel.Wants.WantedContent ParseWants(string[] given) => given switch
    {
        [] or ["all"] => Kernel.Wants.WantedContent.All,
        ["none"] => Kernel.Wants.WantedContent.None,
        _ when given.Any(g => g is "all" or "none") => throw new ArgumentException("--wants all or --wants none stand alone; globs can be given several times"),
        _ when given.Any(g => g.Length == 0 || g.Any(char.IsControl)) => throw new ArgumentException("--wants: a glob must be non-empty, without control characters"),
        _ => Kernel.Wants.WantedContent.Matching(given),
    };

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

    /// <summary>The settings as recorded in remote.log; the cipher is never printed (it is the remote's key).</summary>
    private static string Describe(IReadOnlyDictionary<string, string> settings) =>
        string.Join(' ', settings.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => s.Key == Kernel.Encryption.StoredCipher.CipherField ? "cipher=(kept in remote.log, not shown)" : $"{s.Key}={s.Value}"));

    /// <summary>
    /// The encryption asked for, checked: only for content-only remotes; a cloud (external://TYPE) must say (none is
    /// allowed, but explicit); hybrid needs a key. Null: not asked (an rsync remote then stays unencrypted, as before).
    /// </summary>
    private static Kernel.Encryption.EncryptionScheme? EncryptionChoice(string? given, string? keyId, string? mac, IContentBackendFactory factory, string name, string location)
    {
        if (given is null)
        {
            if (keyId is not null || mac is not null) throw new ArgumentException("--keyid and --mac go with --encryption shared|hybrid");
            if (factory is IInitializingBackendFactory)
                throw new ArgumentException($"{name} ({location}) stores content with a cloud or other service: choose its encryption. " +
                                            $"--encryption shared (the cipher is kept in the repository, so anyone who has the repository can decrypt), " +
                                            $"--encryption hybrid --keyid KEY (the cipher is encrypted to your gpg key), or --encryption none to store plaintext there; nothing was changed");
            return null;
        }
        if (!Kernel.Encryption.EncryptionSchemes.TryParse(given, out var scheme))
            throw new ArgumentException($"--encryption {given}: give none, shared or hybrid");
        if (factory.HasGitRepository)
            throw new ArgumentException($"--encryption is for content-only remotes (rsync, external://TYPE); backend '{factory.Type}' is a repository of its own (its content is not encrypted)");
        if (scheme == Kernel.Encryption.EncryptionScheme.Hybrid && keyId is null) throw new ArgumentException("--encryption hybrid needs --keyid KEY: the gpg key (id, fingerprint or email) the cipher is encrypted to");
        if (scheme != Kernel.Encryption.EncryptionScheme.Hybrid && keyId is not null) throw new ArgumentException("--keyid goes with --encryption hybrid");
        if (scheme == Kernel.Encryption.EncryptionScheme.None && mac is not null) throw new ArgumentException("--mac goes with --encryption shared|hybrid");
        if (mac is not null && !Kernel.Encryption.MacAlgorithm.TryParse(mac, out _))
            throw new ArgumentException($"--mac {mac}: give one of {string.Join(", ", Kernel.Encryption.MacAlgorithm.Names)}");
        return scheme;
    }

    /// <summary>
    /// An encrypted remote is usable here only if its cipher is (a hybrid one: one of its keys' secret key is in this
    /// keyring) and is the one this node pinned for it, if any: checked before it is enabled, so the error comes now,
    /// not at the first transfer. Null for an unencrypted remote.
    /// </summary>
    internal static async Task<(Kernel.Encryption.StoredCipher Stored, Kernel.Encryption.Cipher Cipher)?> CheckCipherAsync(Kernel.Repositories.AnnexRepository repo,
        string name, string uuid, IReadOnlyDictionary<string, string> recorded, CancellationToken ct)
    {
        Kernel.Encryption.StoredCipher? stored;
        try { stored = Kernel.Encryption.StoredCipher.From(recorded, name); }
        catch (InvalidDataException e) { throw new ArgumentException($"{e.Message}; nothing was changed", e); }
        if (stored is null) return null;
        try
        {
            var cipher = await stored.OpenAsync(new Kernel.Encryption.Gpg(Kernel.Encryption.GpgSettings.Read(repo, name)), name, ct);
            new Kernel.Encryption.CipherPin(repo, name, uuid).Check(cipher);
            return (stored, cipher);
        }
        catch (Kernel.Encryption.GpgException e) { throw new ArgumentException($"{e.Message}; nothing was changed", e); }
        catch (InvalidDataException e) { throw new ArgumentException($"remote '{name}': {e.Message}; nothing was changed", e); }
        catch (Platform.Processes.ProcessStartException e) { throw new ArgumentException($"{name}: {e.Message}; nothing was changed", e); }
    }

    /// <summary>The remote.log fields for the scheme: encryption=none, or a new cipher (hybrid: encrypted to the key with the system gpg).</summary>
    private static async Task<IReadOnlyDictionary<string, string>> EncryptionFieldsAsync(Kernel.Repositories.AnnexRepository repo, string name,
        Kernel.Encryption.EncryptionScheme scheme, string? keyId, string? mac, CancellationToken ct)
    {
        if (scheme == Kernel.Encryption.EncryptionScheme.None) return new Dictionary<string, string> { [Kernel.Encryption.EncryptionSchemes.Field] = "none" };
        Kernel.Encryption.MacAlgorithm.TryParse(mac, out var algorithm);
        var gpg = new Kernel.Encryption.Gpg(Kernel.Encryption.GpgSettings.Read(repo, name));
        try { return (await Kernel.Encryption.StoredCipher.CreateAsync(scheme, keyId, algorithm, gpg, ct)).ToFields(mac is not null); }
        catch (Kernel.Encryption.GpgException e) { throw new ArgumentException($"{name}: {e.Message}; nothing was changed", e); }
        catch (Platform.Processes.ProcessStartException e) { throw new ArgumentException($"{name}: {e.Message}; nothing was changed", e); }
    }

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
                var uuid = git.Config.Get<string>($"remote.{remote.Name}.annex-uuid")?.Value ?? remote.Drive?.RepositoryUuid ?? "(uuid not known yet: sync once)";
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
        var name = new Argument<string>("NAME") { Description = "The remote's name ('tether remote list' shows them)" };
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
    private static async Task CheckServerAsync(CliContext ctx, string name, Platform.Ssh.SshUrl url, bool init, CancellationToken ct)
    {
        var answer = await SshRemoteProbe.AskAsync(url, ct);
        if (answer.Missing == SshRemoteProbe.Lack.Repository && init)
        {
            if (await SshRemoteProbe.InitAsync(url, ct) is { } failed) throw new ArgumentException($"{name}: 'tether init {url.Path}' on {url.Destination} failed: {failed}; nothing was changed here");
            await ctx.Out.WriteLineAsync($"Initialised {url.Path} on {url.Destination}");
            answer = await SshRemoteProbe.AskAsync(url, ct);
        }
        switch (answer.Missing)
        {
            case SshRemoteProbe.Lack.Tether:
                throw new ArgumentException($"{name}: {url.Destination} answers, but {answer.Problem}: install tether there and put it on that PATH " +
                                            "(e.g. 'sudo ln -s ~/tether/tether /usr/local/bin/tether' there), or set TETHER_REMOTE_COMMAND=/path/to/tether here; nothing was changed");
            case SshRemoteProbe.Lack.Repository:
                throw new ArgumentException($"{name}: {url.Destination} has no Tether repository at {url.Path} ({answer.Problem}): add --init to make one there " +
                                            $"(runs 'tether init {url.Path}' on it), or run that there yourself; nothing was changed");
        }
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
        var gitDir = Directory.Exists(Path.Combine(path, ".git")) ? Path.Combine(path, ".git") : path;
        if (!LibGit2Sharp.Repository.IsValid(gitDir))
            throw new ArgumentException($"'{path}' is a plain folder, not a repository: make it one with 'tether init {path}' " +
                                        $"(or 'tether init --bare {path}' for a backup with no work tree), then add it; or give --backend rsync for a content-only copy");
    }

    /// <summary>Relative paths become absolute (the config is read from elsewhere later); URLs stay as given.</summary>
    private static string NormaliseLocation(string url, string currentDirectory) =>
        RemoteDefaults.BackendFor(url) == RemoteDefaults.LocalBackend && !url.StartsWith("file://", StringComparison.Ordinal)
            ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(url, currentDirectory))
            : url;

    /// <summary>A running daemon picks up the change at once (its config is reloaded).</summary>
    internal static async Task TellRunningDaemonAsync(CliContext ctx, Kernel.Repositories.AnnexRepository repo, CancellationToken ct)
    {
        if (await Kernel.Control.ControlClient.SendAsync(repo, new Kernel.Control.ControlRequest(Kernel.Control.ControlCommand.Reload), ct) is { } response)
            await ctx.Out.WriteLineAsync($"daemon: {response.Message}");
    }
}
