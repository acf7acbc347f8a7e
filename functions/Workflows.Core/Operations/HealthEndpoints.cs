using Microsoft.AspNetCore.Http;
using Workflows.Http;
using Workflows.Messaging;

namespace Workflows.Operations;

/// <summary>
/// GET /api/health (both hosts; the local host answers the same at /health): "healthy", or "degraded" with the reasons.
/// Degraded is still 200: the app takes 111 calls and staff work; what it cannot do is in <c>reasons</c>.
/// </summary>
public sealed class HealthEndpoints(SmsSetup sms, SmsSettings smsSettings)
{
    public IResult Health(HttpRequest request)
    {
        string[] reasons = sms.Configured ? [] : [$"SMS not configured: {sms.Problem}"];
        return Results.Json(new
        {
            status = reasons.Length == 0 ? "healthy" : "degraded",
            reasons,
            sms = new { carrier = sms.Carrier, senderKind = smsSettings.SenderKind, senderCanReceiveReplies = smsSettings.SenderCanReceiveReplies },
        }, Json.Options);
    }
}
