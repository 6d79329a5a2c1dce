using Tether.Sdk.Keys;

namespace Tether.Kernel.Annex;

/// <summary>An object here did not match its key when it was about to be sent (written through a locked file's link); it was quarantined.</summary>
public sealed class CorruptObjectException(Key key, string message) : IOException(message)
{
    public Key Key { get; } = key;
}
