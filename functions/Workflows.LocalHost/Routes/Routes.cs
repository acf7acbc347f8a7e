using System.Security.Cryptography;
using System.Text;
using Workflows.Http;

namespace Workflows.LocalHost;

/// <summary>The same routes as the Functions app, each a line handing the request to Core.</summary>
public static class Routes
{
    public static void Map(WebApplication app)
    {
        app.Use(SetApiHeaders);
        // A 404 or 405 from routing has no body; give it an RFC 9457 problem like every other refusal.
        app.UseStatusCodePages();
        app.Use(RequireFunctionsKey);
        app.Use(ResolveStaff);

        var api = app.MapGroup("/api");
        CrisisCareRoutes.Map(api);
        EcssRoutes.Map(api);
        CommunityRoutes.Map(api);
        DistrictDirectRoutes.Map(api);
        BarsRoutes.Map(api);
        MessagingRoutes.Map(api);
        ReportingRoutes.Map(api);
        OperationsRoutes.Map(app, api);
        AdminRoutes.Map(api);
        StaffRoutes.Map(api);
        PagesRoutes.Map(app, api);
    }

    /// <summary>On every answer, refusals included, as the last thing before it goes (so a page's own Cache-Control stands).</summary>
    private static Task SetApiHeaders(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(() =>
        {
            ApiHeaders.Apply(context.Response);
            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>
    /// Every /api route needs the app key, as Functions' AuthorizationLevel.Function does in Azure, in its header only:
    /// a key in the URL (?code=) ends up in request logs, browser history and proxies.
    /// </summary>
    private static async Task RequireFunctionsKey(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments("/api") && !PagesRoutes.NeedsNoKey(context.Request.Path))
        {
            var expected = context.RequestServices.GetRequiredService<LocalHostSettings>().FunctionsKey;
            string? given = context.Request.Headers["x-functions-key"];
            if (string.IsNullOrEmpty(given) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            {
                await Problems.Unauthorized("Send the app key in the x-functions-key header.").ExecuteAsync(context);
                return;
            }
        }
        await next();
    }

    /// <summary>
    /// Who the caller is, found once before any /api route runs (the Functions app does the same in a worker middleware).
    /// Locally there is no platform sign-in: whoever holds the app key may present any principal, as the dev sign-in page does.
    /// </summary>
    private static async Task ResolveStaff(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments("/api") && !PagesRoutes.NeedsNoKey(context.Request.Path))
            await context.RequestServices.GetRequiredService<Workflows.Staff.StaffSignIn>().ResolveAsync(context, trustPrincipalHeader: true);
        await next();
    }
}
