namespace Tether.Kernel.Shell;

/// <summary>A forced `tether shell` refused what the client asked for; the message is the one line the client is shown.</summary>
public sealed class ShellRefusedException(string message) : Exception(message);
