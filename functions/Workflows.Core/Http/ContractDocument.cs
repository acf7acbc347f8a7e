using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Workflows.Http;

/// <summary>
/// GET /api/openapi.yaml: the HTTP contract (docs/openapi.yaml, embedded at build), served the same by both hosts so a
/// system built against this deployment reads the contract this deployment keeps. It holds no data: anonymous.
/// </summary>
public sealed class ContractDocument
{
    public const string MediaType = "application/yaml";

    private readonly byte[] _content;
    private readonly string _etag;

    public ContractDocument()
    {
        using var stream = typeof(ContractDocument).Assembly.GetManifestResourceStream("openapi.yaml")
            ?? throw new InvalidOperationException("docs/openapi.yaml is not embedded in Workflows.Core.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        _content = copy.ToArray();
        _etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(_content))[..16]}\"";
    }

    public IResult Get(HttpRequest request)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = _etag;
        headers.XContentTypeOptions = "nosniff";
        if (request.Headers.IfNoneMatch == _etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(_content, MediaType + "; charset=utf-8");
    }
}
