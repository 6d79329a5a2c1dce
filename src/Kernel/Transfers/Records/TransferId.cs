using Tether.Sdk.Keys;

namespace Tether.Kernel.Transfers.Records;

/// <summary>
/// What a transfer record is about: one key, one direction, one remote (by annex UUID). Equal ids are the same
/// transfer: at most one process runs it at a time (the fcntl lock on its lock file).
/// </summary>
public sealed record TransferId
{
    private readonly TransferDirection _direction;
    private readonly string _remoteUuid = null!;
    private readonly Key _key = null!;

    public TransferId(TransferDirection Direction, string RemoteUuid, Key Key)
    {
        this.Direction = Direction;
        this.RemoteUuid = RemoteUuid;
        this.Key = Key;
    }

    public TransferDirection Direction
    {
        get => _direction;
        init => _direction = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Direction));
    }

    /// <summary>The remote's annex UUID (one path component).</summary>
    public string RemoteUuid
    {
        get => _remoteUuid;
        init => _remoteUuid = IsValidUuid(value) ? value : throw new ArgumentException($"invalid remote UUID '{value}'", nameof(RemoteUuid));
    }

    public Key Key
    {
        get => _key;
        init => _key = value ?? throw new ArgumentNullException(nameof(Key));
    }

    public void Deconstruct(out TransferDirection direction, out string remoteUuid, out Key key) =>
        (direction, remoteUuid, key) = (Direction, RemoteUuid, Key);

    /// <summary>The record's file name: the key escaped as git-annex's keyFile does.</summary>
    public string KeyFile => KeyFileName.Escape(Key);

    /// <summary>git-annex's folder name for the direction: "upload" or "download".</summary>
    public string DirectionName => DirectionFolder(Direction);

    public override string ToString() => $"{DirectionName} {Key} {(Direction == TransferDirection.Upload ? "to" : "from")} {RemoteUuid}";

    internal static string DirectionFolder(TransferDirection direction) =>
        direction == TransferDirection.Upload ? "upload" : "download";

    /// <summary>A UUID usable as one path component (git-annex's are RFC 4122 strings, but any safe name is accepted).</summary>
    internal static bool IsValidUuid(string? uuid) =>
        !string.IsNullOrEmpty(uuid) && uuid is not ("." or "..")
        && uuid.IndexOfAny(['/', '\0', '\n']) < 0;
}
