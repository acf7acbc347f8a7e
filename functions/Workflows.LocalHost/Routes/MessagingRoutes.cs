using Microsoft.DurableTask.Client;
using Workflows.Http;
using Workflows.Messaging;

namespace Workflows.LocalHost;

public static class MessagingRoutes
{
    private static readonly string[] PostOrOptions = ["POST", "OPTIONS"];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapMethods("/sms/inbound", PostOrOptions, (HttpRequest r, MessagingEndpoints e, DurableTaskClient c) => e.Inbound(r, c));
        api.MapMethods("/sms/delivery", PostOrOptions, (HttpRequest r, MessagingEndpoints e, DurableTaskClient c) => e.Delivery(r, c));

        // Local host only: what the SMS sink took, newest first (?to= and ?tag= narrow it).
        api.MapGet("/dev/sms/outbox", async (LocalSmsSink sink, string? to, string? tag) =>
            Results.Json(await sink.OutboxAsync(to: to, tag: tag), Json.Options));
    }
}
