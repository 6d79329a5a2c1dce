namespace Tether.Kernel.Status;

/// <summary>A queued or running content transfer, as `tether status` shows it.</summary>
public sealed record TransferStatus(string Direction, string Key, string File, string Remote, bool Running);
