namespace Tether.Kernel.Encryption;

/// <summary>gpg refused or failed (a wrong passphrase, damaged data, a missing key); the message has gpg's own words.</summary>
public sealed class GpgException(string message, Exception? inner = null) : IOException(message, inner);
