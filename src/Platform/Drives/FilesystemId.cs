namespace Tether.Sdk.Drives;

/// <summary>A filesystem's UUID and label, either null when it has none (tmpfs) or they cannot be read. Since contracts 1.2.</summary>
public sealed record FilesystemId(string? Uuid, string? Label)
{
    public static FilesystemId None { get; } = new(null, null);
}
