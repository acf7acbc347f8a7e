using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflows.Http;

public static class Json
{
    /// <summary>The wire format of every route: camelCase, enums as kebab-case strings, nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return o;
    }
}
