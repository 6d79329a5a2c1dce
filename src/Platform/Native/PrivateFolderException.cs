namespace Tether.Platform.Native;

/// <summary>A folder Tether keeps sockets in is not private to this user (another owner, group or other access, a symlink): Tether refuses it.</summary>
public sealed class PrivateFolderException(string message) : IOException(message);
