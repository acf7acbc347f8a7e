using Microsoft.Extensions.Logging;
using Workflows.Operations;
using Workflows.Validation;

namespace Workflows.Messaging;

/// <summary>
/// What a carrier made of one attempt. <see cref="Transient"/>: worth trying again later. <see cref="Held"/>: not tried
/// at all because SMS is not configured; the text waits for a start with good settings.
/// </summary>
public sealed record CarrierResult(bool Sent, string? ProviderMessageId, string? Error = null, bool Transient = false, bool Held = false);

/// <summary>What actually carries a text: ACS in Azure, the table-backed sink locally.</summary>
public interface ISmsCarrier
{
    /// <summary>Sends once, however often it is called for the same message and first-sent time.</summary>
    Task<CarrierResult> SendAsync(SmsMessage message, DateTimeOffset firstSentAt, CancellationToken ct = default);
}

/// <summary>
/// The one send path: a number that is not a UK mobile is rejected, a family text to a number that replied STOP is
/// suppressed (a text to staff never is: <see cref="SmsAudience"/>), everything else goes to the carrier once. Each
/// message is recorded in SmsMessages under its own id, so a replayed activity gets the first outcome back instead of
/// sending again.
/// </summary>
public sealed class SmsOutbound(ISmsCarrier carrier, SentMessages sent, SmsOptOuts optOuts, TimeProvider time, ILogger<SmsOutbound> log)
    : ISmsSender
{
    public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken ct = default) => SendAsync(message, true, ct);

    /// <param name="respectOptOut">False only for the confirmation of a STOP itself.</param>
    public async Task<SmsSendResult> SendAsync(SmsMessage message, bool respectOptOut, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var row = await sent.FindAsync(message.Id, ct);
            if (row is null)
            {
                row = NewRow(message);
                if (!await sent.TryAddAsync(row, ct)) continue;
                if (row.Status != SmsStatus.Sending)
                {
                    log.LogInformation("SMS {MessageId} ({Tag}) not sent: {Status}", message.Id, message.Tag, row.Status);
                    return row.Result;
                }
                row = await sent.FindAsync(message.Id, ct) ?? row;
            }
            if (row.Status is not (SmsStatus.Sending or SmsStatus.Retrying)) return row.Result;

            if (respectOptOut && message.Audience == SmsAudience.Family && await optOuts.IsOptedOutAsync(message.To, ct))
            {
                row.Status = SmsStatus.Suppressed;
                row.Error = "The recipient replied STOP.";
                if (!await sent.TryUpdateAsync(row, ct)) continue;
                return row.Result;
            }
            return await DeliverAsync(message, row, ct);
        }
        throw new InvalidOperationException($"SMS {message.Id} kept changing under concurrent sends; the activity will retry.");
    }

    private SentMessage NewRow(SmsMessage m)
    {
        var row = new SentMessage
        {
            MessageId = m.Id, To = m.To, Body = m.Body, Tag = m.Tag, Audience = m.Audience.ToString(), FirstSentAt = time.GetUtcNow(),
            NotifyInstanceId = m.NotifyOnFailure?.InstanceId, NotifyEventName = m.NotifyOnFailure?.EventName, SafetyAlert = m.SafetyAlert,
        };
        if (!Phones.IsUkMobile(m.To)) (row.Status, row.Error) = (SmsStatus.Rejected, "Not a UK mobile number in E.164 form.");
        return row;
    }

    private async Task<SmsSendResult> DeliverAsync(SmsMessage message, SentMessage row, CancellationToken ct)
    {
        CarrierResult outcome;
        try { outcome = await carrier.SendAsync(message, row.FirstSentAt, ct); }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                      or TaskCanceledException && !ct.IsCancellationRequested)
        {
            outcome = new CarrierResult(false, null, $"The SMS service did not answer: {e.GetType().Name}.", Transient: true);
        }

        row.Status = outcome.Sent ? SmsStatus.Sent : outcome.Held ? SmsStatus.Waiting : outcome.Transient ? SmsStatus.Retrying : SmsStatus.Failed;
        row.ProviderMessageId = outcome.ProviderMessageId ?? row.ProviderMessageId;
        row.Error = outcome.Error;
        if (outcome.Sent) row.SentAt = time.GetUtcNow();
        if (outcome.Held) row.HeldAt ??= time.GetUtcNow();
        // The provider index first: a receipt can only be matched once it is there. Likewise the waiting index: a
        // waiting text the index does not name would never be looked at again.
        if (outcome.ProviderMessageId is { } providerId) await sent.IndexProviderIdAsync(providerId, message.Id, ct);
        if (outcome.Held) await sent.MarkWaitingAsync(message.Id, ct);
        if (!await sent.TryUpdateAsync(row, ct))
            row = await sent.FindAsync(message.Id, ct) ?? row;
        if (outcome.Sent) log.LogInformation("SMS {MessageId} ({Tag}) sent", message.Id, message.Tag);
        else if (outcome.Held) log.LogWarning("SMS {MessageId} ({Tag}) waiting: SMS is not configured", message.Id, message.Tag);
        else log.LogWarning(AlertEvents.SmsNotSent, "SMS {MessageId} ({Tag}) not sent ({Status}): {Error}", message.Id, message.Tag, row.Status, outcome.Error);
        return row.Result;
    }
}
