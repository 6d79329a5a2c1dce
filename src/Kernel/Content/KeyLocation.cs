namespace Tether.Kernel.Content;

/// <summary>One repository that has a key's content, as the location log says.</summary>
public sealed record KeyLocation(string Uuid, string Description, string? RemoteName, bool IsHere);
