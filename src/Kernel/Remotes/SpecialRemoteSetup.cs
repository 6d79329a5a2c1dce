using Microsoft.Extensions.Logging;
using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Backends;
using Tether.Kernel.Encryption;
using Tether.Kernel.Repositories;
using Tether.Sdk.Backends;

namespace Tether.Kernel.Remotes;

/// <summary>
/// Sets up a content-only remote whose backend initialises it (<see cref="IInitializingBackendFactory"/>: external
/// special remotes) as <c>git annex initremote</c> and <c>enableremote</c> do: the backend's INITREMOTE with the
/// user's settings, then a remote.log line (<c>&lt;uuid&gt; k=v... name=NAME type=TYPE timestamp=T</c>), a uuid.log
/// description, and <c>remote.NAME.annex-uuid</c>, <c>annex-externaltype</c> and <c>skipfetchall</c> in git config (no
/// url: nothing to fetch), so git-annex in this
/// repository or a clone uses the same remote.
/// </summary>
public sealed class SpecialRemoteSetup(AnnexRepository repo, TimeProvider clock, ILogger log)
{
    /// <summary>Settings the user may not give: the kernel writes them.</summary>
    private static readonly string[] Reserved = ["name", "type", "timestamp"];

    /// <summary>The outcome: the remote's UUID, the settings recorded, and what the backend said of its cost.</summary>
    public sealed record Result(string Uuid, IReadOnlyDictionary<string, string> Settings, int? Cost);

    /// <summary>A new remote: refused when remote.log already has a special remote of that name (enable it instead).</summary>
    /// <param name="encryption">The encryption fields to record (<see cref="StoredCipher.ToFields"/>, or encryption=none): the kernel's, never the helper's.</param>
    public async Task<Result> InitializeAsync(IInitializingBackendFactory factory, Remote remote, IReadOnlyDictionary<string, string> settings, CancellationToken ct,
        IReadOnlyDictionary<string, string>? encryption = null)
    {
        CheckSettings(settings);
        EnsureNewName(remote);
        return await RunAsync(factory, remote, Guid.NewGuid().ToString(), settings, ct, encryption: encryption);
    }

    /// <summary>
    /// A content-only remote whose backend needs no setting up (rsync) recorded at once, as <c>git annex initremote</c>
    /// does, with its encryption fields (a new cipher): remote.log, uuid.log and <c>remote.NAME.annex-uuid</c>.
    /// </summary>
    public async Task<Result> RecordAsync(Remote remote, IReadOnlyDictionary<string, string> fields, CancellationToken ct)
    {
        EnsureNewName(remote);
        var uuid = Guid.NewGuid().ToString();
        var all = new Dictionary<string, string>(fields, StringComparer.Ordinal) { ["name"] = remote.Name, ["type"] = remote.Backend };
        using (var branch = new GitAnnexBranch(repo, clock))
        {
            await branch.ChangeAsync(RemoteLog.FileName, old => RemoteLog.With(old, uuid, all, clock), ct);
            await branch.SetDescriptionAsync(uuid, remote.Name, ct);
        }
        using (var git = repo.OpenGit()) git.Config.Set($"remote.{remote.Name}.annex-uuid", uuid);
        return new Result(uuid, all, null);
    }

    /// <summary>
    /// A remote another node set up, joined from its annex:: URL (<see cref="Joining.AnnexUrl"/>): recorded under the URL's UUID
    /// with the URL's fields (its cipher: never a new one), as git-remote-annex sets up the remote it clones from; an
    /// external remote runs INITREMOTE with them first. Refused, before anything is written, when remote.log already has
    /// another remote of that name, or this UUID with other settings.
    /// </summary>
    public async Task<Result> JoinAsync(IContentBackendFactory factory, Remote remote, Joining.AnnexUrl url, CancellationToken ct)
    {
        var known = CheckJoinable(remote.Name, url);
        if (factory is IInitializingBackendFactory initializing)
        {
            var settings = RemoteEncryption.WithoutEncryption(url.Fields).Where(f => !Reserved.Contains(f.Key)).ToDictionary();
            return await RunAsync(initializing, remote, url.Uuid, settings, ct, known, RemoteEncryption.EncryptionFields(url.Fields));
        }
        var fields = new Dictionary<string, string>(url.Fields, StringComparer.Ordinal) { ["name"] = remote.Name, ["type"] = remote.Backend };
        using (var branch = new GitAnnexBranch(repo, clock))
        {
            if (known is null) await branch.ChangeAsync(RemoteLog.FileName, old => RemoteLog.With(old, url.Uuid, fields, clock), ct);
            if (!branch.Descriptions().ContainsKey(url.Uuid)) await branch.SetDescriptionAsync(url.Uuid, remote.Name, ct);
        }
        using (var git = repo.OpenGit()) git.Config.Set($"remote.{remote.Name}.annex-uuid", url.Uuid);
        return new Result(url.Uuid, known ?? fields, null);
    }

    /// <summary>What remote.log already records for the URL's UUID (null: nothing), checked against the URL.</summary>
    private IReadOnlyDictionary<string, string>? CheckJoinable(string name, Joining.AnnexUrl url)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        var content = branch.Read(RemoteLog.FileName);
        if (RemoteLog.Named(content, name).FirstOrDefault(r => r.Uuid != url.Uuid) is { Uuid: not null } other)
            throw new ArgumentException($"there is already a special remote named '{name}' here (uuid {other.Uuid}), not the URL's ({url.Uuid}): choose another name");
        if (RemoteLog.Parse(content).GetValueOrDefault(url.Uuid) is not { } known) return null;
        foreach (var (field, value) in url.Fields)
            if (known.GetValueOrDefault(field) != value)
                throw new ArgumentException($"remote.log here already records the remote {url.Uuid} ('{known.GetValueOrDefault("name", "?")}'), with another " +
                                            $"value of field '{field}' than the URL's: the URL is stale or not for this remote; 'tether remote enable {known.GetValueOrDefault("name", name)}' uses the recorded one");
        return known;
    }

    private static void CheckSettings(IReadOnlyDictionary<string, string> settings)
    {
        foreach (var name in Reserved)
            if (settings.ContainsKey(name)) throw new ArgumentException($"-c {name}=... is set by tether itself; leave it out");
        foreach (var name in StoredCipher.Fields)
            if (settings.ContainsKey(name)) throw new ArgumentException($"-c {name}=... is the kernel's encryption: give --encryption none|shared|hybrid (--keyid KEY, --mac MAC) instead");
    }

    private void EnsureNewName(Remote remote)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        if (RemoteLog.Named(branch.Read(RemoteLog.FileName), remote.Name) is [var (uuid, fields), ..])
            throw new ArgumentException($"there is already a special remote named '{remote.Name}' (type {fields.GetValueOrDefault("type", "?")}, uuid {uuid}), " +
                                        $"set up by another clone or git annex: use 'tether remote enable {remote.Name}'");
    }

    /// <summary>The special remote remote.log records under <paramref name="name"/>: its UUID and settings (type included).</summary>
    /// <exception cref="ArgumentException">None, or several of that name.</exception>
    public (string Uuid, IReadOnlyDictionary<string, string> Settings) Find(string name)
    {
        using var branch = new GitAnnexBranch(repo, clock);
        return RemoteLog.Named(branch.Read(RemoteLog.FileName), name) switch
        {
            [] => throw new ArgumentException($"no special remote named '{name}' in remote.log (set up by 'git annex initremote' or 'tether remote add' " +
                                              "in a clone? sync with that clone first, so its git-annex branch reaches this one)"),
            [var one] => one,
            var several => throw new ArgumentException($"several special remotes are named '{name}' (uuids {string.Join(", ", several.Select(s => s.Uuid))}): rename one with 'git annex renameremote'"),
        };
    }

    /// <summary>An existing remote, as <c>git annex enableremote</c>: INITREMOTE again with what is recorded (idempotent), the record refreshed if it changed.</summary>
    public Task<Result> EnableAsync(IInitializingBackendFactory factory, Remote remote, string uuid, IReadOnlyDictionary<string, string> recorded, CancellationToken ct) =>
        RunAsync(factory, remote, uuid, RemoteEncryption.WithoutEncryption(RemoteLog.Shared(recorded)).Where(f => !Reserved.Contains(f.Key)).ToDictionary(), ct, recorded,
            RemoteEncryption.EncryptionFields(recorded));

    /// <remarks>
    /// The helper is never shown the encryption fields (it stores ciphertext under MAC names, the kernel's business), and
    /// whatever it answers for them is replaced by the kernel's, so an enable never loses a recorded cipher.
    /// </remarks>
    private async Task<Result> RunAsync(IInitializingBackendFactory factory, Remote remote, string uuid, IReadOnlyDictionary<string, string> settings,
        CancellationToken ct, IReadOnlyDictionary<string, string>? recorded = null, IReadOnlyDictionary<string, string>? encryption = null)
    {
        var descriptor = BackendRegistry.Describe(remote, uuid, repo.ReadUuid()) with
        {
            Settings = settings, GitDirectory = repo.GitDir, Host = new AnnexBranchBackendHost(repo, uuid, clock, log),
        };
        var setup = await factory.InitializeAsync(descriptor, ct);
        var fields = new Dictionary<string, string>(encryption is null ? setup.Settings : RemoteEncryption.WithoutEncryption(setup.Settings), StringComparer.Ordinal)
        {
            ["name"] = remote.Name, ["type"] = factory.Type,
        };
        foreach (var (name, value) in encryption ?? new Dictionary<string, string>()) fields[name] = value;
        using (var branch = new GitAnnexBranch(repo, clock))
        {
            if (recorded is null || !SameFields(recorded, fields))
                await branch.ChangeAsync(RemoteLog.FileName, old => RemoteLog.With(old, uuid, fields, clock), ct);
            if (!branch.Descriptions().ContainsKey(uuid)) await branch.SetDescriptionAsync(uuid, remote.Name, ct);
        }
        using (var git = repo.OpenGit())
        {
            git.Config.Set($"remote.{remote.Name}.annex-uuid", uuid);
            if (fields.TryGetValue("externaltype", out var externalType)) git.Config.Set($"remote.{remote.Name}.annex-externaltype", externalType);
            git.Config.Set($"remote.{remote.Name}.skipfetchall", true); // as git-annex sets it: 'git fetch --all' leaves it alone
        }
        return new Result(uuid, fields, setup.Cost);
    }

    private static bool SameFields(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(f => b.TryGetValue(f.Key, out var v) && v == f.Value);
}
