using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Workflows.Http;

/// <summary>Reads a JSON body within a size limit, keeping the raw bytes (signatures are over them).</summary>
public static class RequestBody
{
    public const int DefaultLimitBytes = 64 * 1024;

    public sealed record Read(byte[] Raw, JsonElement Root);

    /// <summary>The body, or the problem to answer with (wrong type, too large, not JSON).</summary>
    public static async Task<(byte[]? Raw, IResult? Problem)> ReadRawAsync(HttpRequest request, int limitBytes = DefaultLimitBytes)
    {
        if (!IsJson(request.ContentType)) return (null, Problems.UnsupportedMediaType());
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

    public static (JsonElement Root, IResult? Problem) Parse(byte[] raw)
    {
        // JsonDocument checks UTF-8 inside strings only when they are read, which would be a 500 deep in validation.
        if (!System.Text.Unicode.Utf8.IsValid(raw))
            return (default, Problems.Make(StatusCodes.Status400BadRequest, "The body is not valid JSON", "Send the body as UTF-8 text."));
        try
        {
            using var doc = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 32 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (default, Problems.Validation(new Dictionary<string, string[]> { [""] = ["The body must be a JSON object."] }));
            return (doc.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, Problems.Make(StatusCodes.Status400BadRequest, "The body is not valid JSON",
                $"Fix the JSON near line {e.LineNumber + 1}, byte {e.BytePositionInLine}."));
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
