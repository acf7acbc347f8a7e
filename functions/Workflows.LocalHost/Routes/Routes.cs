using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;
using Workflows.Http;
using Workflows.Messaging;

namespace Workflows.LocalHost;

/// <summary>The same routes as the Functions app, each a line handing the request to Core.</summary>
public static class Routes
{
    public static void Map(WebApplication app)
    {
        app.Use(RequireFunctionsKey);
        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));

        var api = app.MapGroup("/api");
        api.MapPost("/intake/111", (HttpRequest r, CrisisCareEndpoints e, DurableTaskClient c) => e.Intake111(r, c));
        api.MapGet("/triage/queue", (HttpRequest r, CrisisCareEndpoints e) => e.TriageQueue(r));
        api.MapGet("/cases/{caseId}", (HttpRequest r, string caseId, CrisisCareEndpoints e) => e.GetCase(r, caseId));
        api.MapPost("/cases/{caseId}/triage", (HttpRequest r, string caseId, CrisisCareEndpoints e, DurableTaskClient c) => e.Triage(r, caseId, c));
        api.MapGet("/directory/open-now", (HttpRequest r, CrisisCareEndpoints e) => e.OpenNow(r));

        // Local host only: what the SMS sink took, newest first.
        api.MapGet("/dev/sms/outbox", async (LocalSmsSink sink) => Results.Json(await sink.OutboxAsync(), Json.Options));
    }

    /// <summary>Every /api route needs the app key, as Functions' AuthorizationLevel.Function does in Azure.</summary>
    private static async Task RequireFunctionsKey(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            var expected = context.RequestServices.GetRequiredService<LocalHostSettings>().FunctionsKey;
            string? given = context.Request.Headers["x-functions-key"];
            if (string.IsNullOrEmpty(given)) given = context.Request.Query["code"];
            if (string.IsNullOrEmpty(given) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            {
                await Problems.Unauthorized("Send the app key in the x-functions-key header.").ExecuteAsync(context);
                return;
            }
        }
        await next();
    }
}
