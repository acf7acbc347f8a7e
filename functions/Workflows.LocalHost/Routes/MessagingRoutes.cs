using Workflows.Http;
using Workflows.Messaging;

namespace Workflows.LocalHost;

public static class MessagingRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        // Local host only: what the SMS sink took, newest first.
        api.MapGet("/dev/sms/outbox", async (LocalSmsSink sink) => Results.Json(await sink.OutboxAsync(), Json.Options));
    }
}
