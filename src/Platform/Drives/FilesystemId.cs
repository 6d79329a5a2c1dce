namespace Tether.Platform.Drives;

/// <summary>A filesystem's UUID and label, either null when it has none (tmpfs) or they cannot be read.</summary>
public sealed record FilesystemId(string? Uuid, string? Label)
{
    public static FilesystemId None { get; } = new(null, null);
}
