using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tether.Kernel.Control;

/// <summary>The JSON shape of control messages and of `tether status --json`: snake_case, nulls left out.</summary>
public static class ControlJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new ControlCommandJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
