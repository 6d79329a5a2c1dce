namespace Tether.Kernel.History;

/// <summary>One path's change in one commit, as `git log --raw` reports it (a rename names both paths).</summary>
public sealed record LoggedChange(
    string CommitId,
    DateTimeOffset At,
    string? NodeUuid,
    string Subject,
    char Status,
    string? OldPath,
    string Path,
    string OldMode,
    string NewMode,
    string OldBlob,
    string NewBlob)
{
    public const string NullBlob = "0000000000000000000000000000000000000000";

    public bool IsDeletion => Status == 'D';
}
