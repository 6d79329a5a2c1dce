namespace Tether.Kernel.Native;

/// <summary>A step failed because its filesystem is full; the message says what was left as it was and what to do.</summary>
public sealed class DiskFullException(string message, Exception inner) : IOException(message, inner);
