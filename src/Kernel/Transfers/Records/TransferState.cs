namespace Tether.Kernel.Transfers.Records;

/// <summary>
/// One transfer record as found on disk. <see cref="Running"/>: its lock is held (by another process, whose pid is
/// <see cref="Pid"/>, or by this one). Failed records are never running and have no pid.
/// </summary>
public sealed record TransferState(TransferId Id, TransferInfo Info, bool Running, int? Pid, string InfoPath);
