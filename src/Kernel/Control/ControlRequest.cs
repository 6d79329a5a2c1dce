namespace Tether.Kernel.Control;

/// <summary>
/// One request on the control socket: "status", "poke" (Remote optional), "stop", and for transfers
/// "transfers-pause", "transfers-resume", "transfers-cancel" (Id and/or Remote).
/// </summary>
public sealed record ControlRequest(string Command, string? Remote = null, string? Id = null);
