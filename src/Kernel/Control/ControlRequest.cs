namespace Tether.Kernel.Control;

/// <summary>One request on the control socket: "status", "poke" (Remote optional) or "stop".</summary>
public sealed record ControlRequest(string Command, string? Remote = null);
