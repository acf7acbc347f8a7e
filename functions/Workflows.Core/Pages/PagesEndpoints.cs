using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Http;

namespace Workflows.Pages;

/// <summary>
/// GET /api/pages/{*path}: the staff pages, served by both hosts. The files hold no data (every number comes from
/// the API with the caller's role), so this route needs no app key and no principal.
/// </summary>
public sealed class PagesEndpoints(StaffPages pages)
{
    /// <summary>Scripts and styles from this app only; no inline script, no framing, no referrer leaking case ids.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public IResult Page(HttpRequest request, string? path)
    {
        // "/api/pages" without the slash would resolve the pages' relative links against "/api/".
        if (string.IsNullOrEmpty(path) && !request.Path.Value!.EndsWith('/'))
            return Results.Redirect(request.PathBase + request.Path + "/" + request.QueryString);
        if (pages.Find(path) is not { } file) return Problems.NotFound($"There is no page '{path}'.");

        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        if (request.Headers.IfNoneMatch == file.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(file.Content, file.ContentType);
    }
}

public static class PagesServices
{
    public static IServiceCollection AddStaffPages(this IServiceCollection services) =>
        services.AddSingleton<StaffPages>().AddSingleton<PagesEndpoints>().AddSingleton<Http.ContractDocument>();
}
