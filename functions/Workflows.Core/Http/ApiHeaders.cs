using Microsoft.AspNetCore.Http;

namespace Workflows.Http;

/// <summary>
/// What every answer of the API says about itself, set in one place for both hosts (the local host's pipeline, the
/// Functions app's <c>ResultAction</c>). Answers carry patient data: no browser, proxy or shared cache may keep one
/// (no-store), and no browser may read one as another type than it says (nosniff). An answer that sets its own
/// Cache-Control keeps it: the static pages, which hold no data, are revalidated (no-cache).
/// </summary>
public static class ApiHeaders
{
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        if (string.IsNullOrEmpty(headers.CacheControl)) headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
    }
}
