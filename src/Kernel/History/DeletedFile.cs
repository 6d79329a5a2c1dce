using Tether.Sdk.Keys;

namespace Tether.Kernel.History;

/// <summary>A path deleted and not back since: its last version (the one before the deletion), when and by which node.</summary>
public sealed record DeletedFile(string Path, DateTimeOffset At, string Node, string CommitId, string BlobId, string Mode, long? Size, Key? Key, ContentPlace Content);
