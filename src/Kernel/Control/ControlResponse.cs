using Tether.Kernel.Status;

namespace Tether.Kernel.Control;

public sealed record ControlResponse(bool Ok, string? Message = null, StatusSnapshot? Status = null);
