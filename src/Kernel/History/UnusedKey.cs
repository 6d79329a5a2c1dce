using Tether.Sdk.Keys;

namespace Tether.Kernel.History;

/// <summary>Content here that no branch uses any more: a replaced or deleted version. Since: when it left the tree.</summary>
public sealed record UnusedKey(Key Key, string? LastPath, DateTimeOffset UnusedSince, long Size);
