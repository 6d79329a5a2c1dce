using System.Text.Json;
using Tether.Kernel.Control;

namespace Tether.Web;

/// <summary>The API's JSON: the control protocol's and `tether status --json`'s shape (snake_case, nulls left out).</summary>
public static class WebJson
{
    public static JsonSerializerOptions Options => ControlJson.Options;
}
