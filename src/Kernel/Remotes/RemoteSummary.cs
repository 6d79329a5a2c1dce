using Tether.Kernel.AnnexBranch;
using Tether.Kernel.Configuration;
using Tether.Kernel.Encryption;
using Tether.Kernel.Repositories;

namespace Tether.Kernel.Remotes;

/// <summary>
/// What `tether remote info` shows of one configured remote: its backend, where it is, its UUID, and for a content-only
/// remote what remote.log records (encryption scheme, key ids, MAC, the backend's settings) and whether the git level
/// rides on it. Never the cipher.
/// </summary>
public sealed record RemoteSummary(
    RemoteConfig Config,
    bool ContentOnly,
    string? Uuid,
    IReadOnlyDictionary<string, string>? Recorded)
{
    public string Name => Config.Name;

    /// <summary>The scheme remote.log records (none when it records none, or nothing yet); null for a repository remote.</summary>
    public EncryptionScheme? Scheme => ContentOnly ? StoredCipher.From(Recorded ?? new Dictionary<string, string>(), Name)?.Scheme ?? EncryptionScheme.None : null;

    public IReadOnlyList<string> KeyIds => Encrypted?.KeyIds ?? [];

    public MacAlgorithm? Mac => Encrypted?.Mac;

    /// <summary>The git level rides on this content-only remote as bundles (<c>git: bundles</c>).</summary>
    public bool GitRides => ContentOnly && Config.GitBundles;

    /// <summary>The backend's own settings from remote.log (without name, type, timestamp and the encryption fields).</summary>
    public IReadOnlyDictionary<string, string> Settings =>
        Recorded is null ? new Dictionary<string, string>()
            : RemoteEncryption.WithoutEncryption(Recorded).Where(f => f.Key is not ("name" or "type")).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private StoredCipher? Encrypted => ContentOnly && Recorded is not null ? StoredCipher.From(Recorded, Name) : null;

    /// <summary>
    /// The remote as this repository knows it: its UUID from git config (remote.NAME.annex-uuid), a drive's from the config,
    /// a repository folder's own, else (content-only) the remote.log record of that name and type; the record is the one of that UUID.
    /// </summary>
    /// <exception cref="InvalidDataException">remote.log's encryption fields for it are damaged or of a scheme Tether cannot use.</exception>
    public static RemoteSummary Of(AnnexRepository repo, RemoteConfig remote, bool contentOnly, TimeProvider clock)
    {
        string? uuid;
        using (var git = repo.OpenGit()) uuid = git.Config.Get<string>($"remote.{remote.Name}.annex-uuid")?.Value ?? remote.Drive?.RepositoryUuid;
        if (uuid is null && !contentOnly && remote.ToRemote() is { IsLocalPath: true } local) uuid = LocalUuid(local.LocalPath);
        IReadOnlyDictionary<string, string>? recorded = null;
        if (contentOnly)
        {
            using var branch = new GitAnnexBranch(repo, clock);
            var log = branch.Read(RemoteLog.FileName);
            uuid ??= RemoteLog.Find(log, remote.Name, remote.Backend);
            if (uuid is not null) recorded = RemoteLog.Parse(log).GetValueOrDefault(uuid);
        }
        var summary = new RemoteSummary(remote, contentOnly, uuid, recorded);
        _ = summary.Scheme; // damaged encryption fields are said now, not half-way through printing
        return summary;
    }

    /// <summary>A repository here says its own UUID (read only: one without a UUID is not initialised by a look).</summary>
    private static string? LocalUuid(string path)
    {
        try { return AnnexRepository.OpenExact(path).ReadUuid(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LibGit2Sharp.LibGit2SharpException or ArgumentException) { return null; }
    }
}
