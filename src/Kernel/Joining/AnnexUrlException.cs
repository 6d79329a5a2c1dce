namespace Tether.Kernel.Joining;

/// <summary>An annex:: URL that cannot be used (malformed, too long, an unknown or bad field); the message names the field.</summary>
public sealed class AnnexUrlException(string message) : ArgumentException(message);
