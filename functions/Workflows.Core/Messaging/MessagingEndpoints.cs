using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Http;

namespace Workflows.Messaging;

/// <summary>
/// The routes ACS calls through Event Grid (machine callers: the app key, no roles). Event Grid retries anything
/// but a 2xx and drops (or dead-letters) what gets a 400: a body that is not an event delivery at all is a 400; an ACS
/// event the app cannot use (a field missing or unreadable) is answered 2xx and logged, so nothing ACS sends is
/// refused; one we failed to act on is a 5xx (retried; the claims make the retry safe).
/// </summary>
public sealed class MessagingEndpoints(SmsInbox inbox, TimeProvider time, ILogger<MessagingEndpoints> log)
{
    /// <summary>Event Grid may batch up to 1 MB; ACS subscriptions send one event a request.</summary>
    private const int LimitBytes = 1024 * 1024;

    /// <summary>POST /api/sms/inbound: Microsoft.Communication.SMSReceived (and OPTIONS: the CloudEvents handshake).</summary>
    public Task<IResult> Inbound(HttpRequest request, DurableTaskClient client) =>
        HandleAsync(request, SmsEvent.Received, async (e, ct) =>
        {
            var from = Validation.Phones.FromCarrier(e.Field("from"));
            var messageId = e.Field("messageId") ?? e.Id;
            if (from is null) return "data.from is not a phone number.";
            var at = EventTime(e);
            await inbox.ReceiveAsync(new InboundSms(messageId, from, e.Field("message") ?? "", at), client, ct);
            return null;
        });

    /// <summary>POST /api/sms/delivery: Microsoft.Communication.SMSDeliveryReportReceived.</summary>
    public Task<IResult> Delivery(HttpRequest request, DurableTaskClient client) =>
        HandleAsync(request, SmsEvent.DeliveryReport, async (e, ct) =>
        {
            var messageId = e.Field("messageId");
            var status = e.Field("deliveryStatus");
            if (messageId is null || status is null) return "data.messageId or data.deliveryStatus is missing.";
            var at = EventTime(e);
            await inbox.ReceiptAsync(new DeliveryReceipt(messageId, status, e.Field("deliveryStatusDetails"), at), client, ct);
            return null;
        });

    private async Task<IResult> HandleAsync(HttpRequest request, string eventType, Func<SmsEvent, CancellationToken, Task<string?>> handle)
    {
        if (HttpMethods.IsOptions(request.Method)) return CloudEventsHandshake(request);

        var (raw, problem) = await RequestBody.ReadRawAsync(request, LimitBytes);
        if (problem is not null) return problem;
        var (root, unreadable) = RequestBody.ParseAny(raw!);
        if (unreadable is not null) return Unusable(unreadable);
        if (SmsEvent.ReadAll(root) is not { } events)
            return Unusable(Problems.Validation(new Dictionary<string, string[]> { [""] = ["Send Event Grid events (an array) or CloudEvents."] },
                "The body is not an Event Grid or CloudEvents delivery."));

        if (events.FirstOrDefault(e => e.Type == SmsEvent.SubscriptionValidation) is { } validation)
        {
            var code = validation.Field("validationCode");
            if (code is null)
                return Problems.Validation(new Dictionary<string, string[]> { ["data.validationCode"] = ["This field is required."] });
            log.LogInformation("Event Grid subscription validated for {EventType}", eventType);
            return Results.Json(new { validationResponse = code });
        }

        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < events.Count; i++)
            if (events[i].Type == eventType && events[i].Data.ValueKind != JsonValueKind.Object)
                errors[$"[{i}].data"] = ["An ACS event's data is an object: this is not an ACS event."];
        if (errors.Count > 0)
            return Unusable(Problems.Validation(errors, "Some events are not ACS events; none was handled."));

        var (handled, unusable) = (0, 0);
        foreach (var e in events)
        {
            if (e.Type != eventType)
            {
                log.LogInformation("Event {EventId} of type {EventType} ignored on this route", e.Id, e.Type);
                continue;
            }
            // The reason is our own words, never the event's content (a phone number, a message).
            if (await handle(e, request.HttpContext.RequestAborted) is { } reason)
            {
                log.LogWarning("Event {EventId} of type {EventType} could not be used and was answered 2xx: {Reason}", e.Id, e.Type, reason);
                unusable++;
            }
            else handled++;
        }
        return Results.Json(new { received = events.Count, handled, unusable });
    }

    /// <summary>
    /// The answer to a body that is not an ACS event delivery: malformed JSON, not text, not events. The one place
    /// that decides it: a 400, which Event Grid dead-letters instead of retrying for hours.
    /// </summary>
    private IResult Unusable(IResult problem)
    {
        log.LogWarning("An SMS event delivery could not be used; answered 400 so Event Grid dead-letters it");
        return problem;
    }

    /// <summary>CloudEvents webhook validation: Event Grid asks with OPTIONS and WebHook-Request-Origin.</summary>
    private static IResult CloudEventsHandshake(HttpRequest request)
    {
        var origin = request.Headers["WebHook-Request-Origin"].ToString();
        if (string.IsNullOrWhiteSpace(origin))
            return Problems.Make(StatusCodes.Status400BadRequest, "Not a webhook validation request", "Send WebHook-Request-Origin.");
        return new WebhookAllowed(origin);
    }

    private sealed class WebhookAllowed(string origin) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.Headers["WebHook-Allowed-Origin"] = origin;
            context.Response.Headers["WebHook-Allowed-Rate"] = "*";
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// When the carrier says the event happened, never later than now: the latest STOP/START and the latest receipt win,
    /// so an event dated ahead (a wrong clock, or a forger with the app key) would otherwise win over every later one.
    /// </summary>
    private DateTimeOffset EventTime(SmsEvent e)
    {
        var now = time.GetUtcNow();
        return DateTimeOffset.TryParse(e.Field("receivedTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t < now
            ? t : now;
    }
}
