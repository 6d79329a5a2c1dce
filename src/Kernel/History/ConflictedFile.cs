namespace Tether.Kernel.History;

/// <summary>A conflict still present: the path its versions stand for, and each version (variant files, or one kept at the name).</summary>
public sealed record ConflictedFile(string Path, IReadOnlyList<ConflictedVersion> Versions);

/// <summary>One version of a conflict: where it is, its variant code, which node made it and when.</summary>
public sealed record ConflictedVersion(string Path, string Code, string Node, DateTimeOffset At, string CommitId, long? Size, bool IsAnnexed, string BlobId, string Mode);
