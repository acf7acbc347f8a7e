using System.Net;
using Workflows.Pages;

namespace Workflows.LocalHost;

public static class PagesRoutes
{
    private const string Prefix = "/api/pages";

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        api.MapGet("/pages/{*path}", (HttpRequest r, string? path, PagesEndpoints e) => e.Page(r, path));
        api.MapGet(ContractPath["/api".Length..], (HttpRequest r, Workflows.Http.ContractDocument c) => c.Get(r));
        app.MapGet("/", () => Results.Redirect(Prefix + "/"));

        // Local host only: the dev sign-in on the pages asks for the app key here, so a newcomer only picks a role.
        // Answered to loopback callers only; the Functions app has no such route (README: "Staff pages").
        app.MapGet("/dev/pages-config", (HttpContext c, LocalHostSettings settings) =>
            c.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                ? Results.Json(new { devSignIn = true, functionsKey = settings.FunctionsKey })
                : Results.NotFound());
    }

    private const string ContractPath = "/api/openapi.yaml";

    /// <summary>The pages and the contract are static files with no data in them: they need no app key (the API calls do).</summary>
    public static bool NeedsNoKey(PathString path) => path.StartsWithSegments(Prefix) || path.Equals(ContractPath, StringComparison.Ordinal);
}
