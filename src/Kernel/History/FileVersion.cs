using Tether.Sdk.Keys;

namespace Tether.Kernel.History;

/// <summary>One version of a file in `tether log`: numbered from 1 (the newest), who made it, what happened, and where its content is.</summary>
public sealed record FileVersion(
    int Number,
    string CommitId,
    DateTimeOffset At,
    string Node,
    VersionAction Action,
    string Path,
    string? RenamedFrom,
    long? Size,
    Key? Key,
    string BlobId,
    string Mode,
    ContentPlace Content)
{
    public bool IsDeletion => Action == VersionAction.Deleted;

    public bool IsSymlink => Mode == "120000";
}

public enum VersionAction { Added, Modified, Renamed, Deleted, ConflictVariant }

/// <summary>Where a version's content is: in git itself (small files), here, elsewhere (the nodes that have it), or gone.</summary>
public sealed record ContentPlace(ContentState State, IReadOnlyList<string> Holders)
{
    public static readonly ContentPlace InGit = new(ContentState.InGit, []);
    public static readonly ContentPlace None = new(ContentState.None, []);

    public override string ToString() => State switch
    {
        ContentState.InGit => "here (in git)",
        ContentState.Here => Holders.Count > 1 ? $"here, also {string.Join(", ", Holders.Skip(1))}" : "here",
        ContentState.Elsewhere => $"elsewhere: {string.Join(", ", Holders)}",
        ContentState.Gone => "gone",
        _ => "",
    };
}

public enum ContentState { None, InGit, Here, Elsewhere, Gone }
