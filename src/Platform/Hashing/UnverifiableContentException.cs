using Tether.Sdk.Keys;

namespace Tether.Platform.Hashing;

/// <summary>Content of a key whose hash Tether cannot compute: never installed unverified.</summary>
public sealed class UnverifiableContentException(string message) : IOException(message);
