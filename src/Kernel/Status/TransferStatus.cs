namespace Tether.Kernel.Status;

/// <summary>A queued or running content transfer, as `tether status` and `tether transfers` show it.</summary>
/// <param name="Process">Who runs it when it is not this daemon (another tether or git-annex process), e.g. "pid 1234".</param>
public sealed record TransferStatus(
    string Id, string Direction, string Key, string File, string Remote, bool Running,
    long Bytes = 0, long? Size = null, double BytesPerSecond = 0, string? Process = null);
