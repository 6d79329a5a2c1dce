using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tether.Kernel.Control;

/// <summary>What a client asks the daemon on the control socket. On the wire: kebab-case ("transfers-cancel").</summary>
[JsonConverter(typeof(ControlCommandJsonConverter))]
public enum ControlCommand
{
    Status,
    Poke,
    Stop,
    Reload,
    Resume,
    ResumeAcceptDeletions,
    TransfersPause,
    TransfersResume,
    TransfersCancel,
    TransfersFirst,
}

/// <summary>Writes and reads <see cref="ControlCommand"/> as its kebab-case name; an unknown name fails to parse.</summary>
public sealed class ControlCommandJsonConverter() : JsonStringEnumConverter<ControlCommand>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);
