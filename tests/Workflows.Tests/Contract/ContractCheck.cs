using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Tests.Contract;

/// <summary>
/// Sits under every HttpClient the tests use against a host: each answer is checked against the HTTP contract
/// (docs/openapi.yaml) as it arrives, so a route, status or field the contract lacks fails the test that met it.
/// With CONTRACT_RECORD set to a file, answers are appended there instead (to draft the contract's schemas).
/// A 5xx is the server's own failure, which no contract describes: it is let through only once the test has made the
/// server fail (<paramref name="faultInjected"/>), and fails the test anywhere else.
/// </summary>
public sealed class ContractCheck(HttpMessageHandler inner, Func<bool>? faultInjected = null) : DelegatingHandler(inner)
{
    private static readonly string? RecordTo = Environment.GetEnvironmentVariable("CONTRACT_RECORD");
    private static readonly Lock Writing = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!request.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)) return response;
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var media = response.Content.Headers.ContentType?.MediaType;
        if ((int)response.StatusCode >= 500 && faultInjected?.Invoke() == true) return response;
        if (RecordTo is not null)
        {
            Record(request, response, media, text);
            return response;
        }
        if (ApiContract.Current.Check(request.Method.Method, request.RequestUri, (int)response.StatusCode, media, text) is { } violation)
            throw new ContractViolation($"{request.Method} {request.RequestUri.PathAndQuery} answered {(int)response.StatusCode}: {violation}");
        return response;
    }

    private static void Record(HttpRequestMessage request, HttpResponseMessage response, string? media, string text)
    {
        JsonNode? body = null;
        if (media is not null && media.Contains("json", StringComparison.Ordinal))
            try { body = JsonNode.Parse(text); } catch (JsonException) { }
        var line = new JsonObject
        {
            ["method"] = request.Method.Method,
            ["path"] = request.RequestUri!.AbsolutePath,
            ["query"] = request.RequestUri.Query,
            ["status"] = (int)response.StatusCode,
            ["media"] = media,
            ["body"] = body,
        }.ToJsonString();
        lock (Writing) File.AppendAllText(RecordTo!, line + "\n");
    }
}

/// <summary>An answer the HTTP contract does not describe.</summary>
public sealed class ContractViolation(string message) : Exception(message);
