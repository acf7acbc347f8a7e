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
        // The Functions app has no such route (README: "Staff pages").
        app.MapGet("/dev/pages-config", (HttpContext c, LocalHostSettings settings) =>
            IsLoopbackPage(c)
                ? Results.Json(new { devSignIn = true, functionsKey = settings.FunctionsKey })
                : Results.NotFound());
    }

    private static readonly string[] LoopbackNames = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>
    /// A caller on this machine whose page was loaded from this host by a loopback name. The connection alone is not
    /// enough: a page from another site can point its own name at 127.0.0.1 (DNS rebinding) and read this route as its
    /// own origin; its requests then carry its own name in Host.
    /// </summary>
    private static bool IsLoopbackPage(HttpContext c) =>
        c.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip) &&
        LoopbackNames.Contains(c.Request.Host.Host, StringComparer.OrdinalIgnoreCase) &&
        c.Request.Host.Port == c.Connection.LocalPort;

    private const string ContractPath = "/api/openapi.yaml";

    /// <summary>The pages and the contract are static files with no data in them: they need no app key (the API calls do).</summary>
    public static bool NeedsNoKey(PathString path) => path.StartsWithSegments(Prefix) || path.Equals(ContractPath, StringComparison.Ordinal);
}
