namespace Tether.Kernel.Control;

/// <summary>
/// One request on the control socket: a <see cref="ControlCommand"/>, with the remote it is about (poke,
/// transfers-cancel) and a transfer's id (transfers-cancel).
/// </summary>
public sealed record ControlRequest(ControlCommand Command, string? Remote = null, string? Id = null);
