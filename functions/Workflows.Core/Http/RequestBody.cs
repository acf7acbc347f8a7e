using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Workflows.Http;

/// <summary>Reads a JSON body within a size limit, keeping the raw bytes (signatures are over them).</summary>
public static class RequestBody
{
    public const int DefaultLimitBytes = 64 * 1024;

    public sealed record Read(byte[] Raw, JsonElement Root);

    /// <summary>The body, or the problem to answer with (wrong type, too large, not JSON).</summary>
    public static async Task<(byte[]? Raw, IResult? Problem)> ReadRawAsync(HttpRequest request, int limitBytes = DefaultLimitBytes) =>
        IsJson(request.ContentType) ? await ReadBytesAsync(request, limitBytes) : (null, Problems.UnsupportedMediaType());

    /// <summary>The body's bytes, up to <paramref name="limitBytes"/>, for a caller that has checked its media type itself.</summary>
    public static async Task<(byte[]? Raw, IResult? Problem)> ReadBytesAsync(HttpRequest request, int limitBytes)
    {
        if (request.ContentLength > limitBytes) return (null, Problems.TooLarge(limitBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + n > limitBytes) return (null, Problems.TooLarge(limitBytes));
            buffer.Write(chunk, 0, n);
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>The body as a JSON object, or the problem to answer with.</summary>
    public static (JsonElement Root, IResult? Problem) Parse(byte[] raw)
    {
        var (root, problem) = ParseAny(raw);
        if (problem is not null) return (default, problem);
        if (root.ValueKind != JsonValueKind.Object)
            return (default, Problems.Validation(new Dictionary<string, string[]> { [""] = ["The body must be a JSON object."] }));
        return (root, null);
    }

    /// <summary>The body as any JSON value (Event Grid sends an array), every string in it readable; or the problem to answer with.</summary>
    public static (JsonElement Root, IResult? Problem) ParseAny(byte[] raw)
    {
        // JsonDocument checks UTF-8 inside strings only when they are read, which would be a 500 deep in validation.
        if (!System.Text.Unicode.Utf8.IsValid(raw))
            return (default, Problems.Make(StatusCodes.Status400BadRequest, "The body is not valid JSON", "Send the body as UTF-8 text."));
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 32 });
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (default, Problems.Make(StatusCodes.Status400BadRequest, "The body is not valid JSON",
                $"Fix the JSON near line {e.LineNumber + 1}, byte {e.BytePositionInLine}."));
        }
        if (UnreadableStringPath(root) is { } path)
            return (default, Problems.Validation(new Dictionary<string, string[]> { [path] = [UnpairedSurrogate] }));
        return (root, null);
    }

    public const string UnpairedSurrogate = "Must be text: a \\uD800-\\uDFFF escape is half a character and must come in a pair.";

    /// <summary>
    /// Where a string (or a field name) holds an unpaired surrogate escape such as "\ud800", which is valid JSON but no
    /// text: reading it throws. Null when every string can be read. The path is written as <see cref="FieldReader"/> names fields.
    /// </summary>
    public static string? UnreadableStringPath(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try { element.GetString(); return null; }
                catch (InvalidOperationException) { return path; }
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    if (UnreadableStringPath(item, $"{path}[{i++}]") is { } found) return found;
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { return path; }
                    if (UnreadableStringPath(property.Value, path.Length == 0 ? name : $"{path}.{name}") is { } found) return found;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>Read, check size and type, and parse in one step, for routes without a signature.</summary>
    public static async Task<(JsonElement Root, IResult? Problem)> ReadJsonAsync(HttpRequest request, int limitBytes = DefaultLimitBytes)
    {
        var (raw, problem) = await ReadRawAsync(request, limitBytes);
        return problem is not null ? (default, problem) : Parse(raw!);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null &&
        (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
         (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) &&
          contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase)));
}
