using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflows.Operations;

namespace Workflows.Messaging;

/// <summary>
/// Texts held back while SMS was not configured (status <see cref="SmsStatus.Waiting"/>). On a start with good settings
/// each is looked at once: sent if it may still go (<see cref="LateSendRule"/>), otherwise withdrawn with the reason,
/// which staff read on the case's texts. Claimed with the row's ETag, so app instances starting together send it once.
/// </summary>
public sealed class WaitingTexts(
    SmsSetup setup, SmsSettings settings, SentMessages sent, SmsOutbound outbound, ReplyCodes codes, TimeProvider time,
    ILogger<WaitingTexts> log)
{
    /// <summary>Sends or withdraws every waiting text; returns how many went. Nothing happens while SMS is not configured.</summary>
    public async Task<int> ReleaseAsync(CancellationToken ct = default)
    {
        if (!setup.Configured) return 0;
        var released = 0;
        foreach (var id in await sent.WaitingAsync(ct))
        {
            if (await sent.FindAsync(id, ct) is { Status: SmsStatus.Waiting } row)
            {
                var code = row.NotifyOnFailure is { } route && await codes.FindOpenAsync(route, row.To, ct) is { } open
                    ? await codes.FindAsync(open, ct) : null;
                var decision = LateSendRule.Decide(row, code, time.GetUtcNow(), TimeSpan.FromMinutes(settings.LateSendMinutes));
                if (decision.Send) released += await SendAsync(row, ct) ? 1 : 0;
                else await WithdrawAsync(row, decision.Reason, ct);
            }
            await sent.ClearWaitingAsync(id, ct);
        }
        return released;
    }

    private async Task<bool> SendAsync(SentMessage row, CancellationToken ct)
    {
        // Never handed to the carrier before: this is its first attempt, so ACS's repeatability window starts now.
        (row.Status, row.Error, row.FirstSentAt) = (SmsStatus.Sending, null, time.GetUtcNow());
        if (!await sent.TryUpdateAsync(row, ct)) return false;
        var result = await outbound.SendAsync(row.Message, ct);
        log.LogInformation("Waiting SMS {MessageId} ({Tag}) released: {Outcome}", row.MessageId, row.Tag, result.Sent ? "sent" : result.Error);
        return result.Sent;
    }

    private async Task WithdrawAsync(SentMessage row, string reason, CancellationToken ct)
    {
        (row.Status, row.Error) = (SmsStatus.Withdrawn, reason);
        if (await sent.TryUpdateAsync(row, ct))
            log.LogWarning("Waiting SMS {MessageId} ({Tag}) withdrawn: {Reason}", row.MessageId, row.Tag, reason);
    }
}

/// <summary>
/// Which held-back texts may still go once SMS works, however long it was down:
/// <list type="number">
/// <item>A safety alert to staff (overdue triage, a case or referral parked, an unfilled dispatch, a missed check-in,
/// a bridge over its limit, a District Direct escalation) always goes: late is better than never, and each says what
/// it is about.</item>
/// <item>A question (an HCA offer, a District Direct approval) goes only while its reply code is open and unexpired: an
/// offer that timed out has gone to the next HCA, and a YES to it would be answered "moved on".</item>
/// <item>Anything else (family updates, confirmations, bereavement signposting) is news that goes stale: it goes only
/// within Sms__LateSendMinutes (default 60) of when it was due.</item>
/// </list>
/// </summary>
public static class LateSendRule
{
    public sealed record Decision(bool Send, string Reason);

    /// <param name="openCode">The question's reply code if it is still open, else null.</param>
    public static Decision Decide(SentMessage row, ReplyCodeRecord? openCode, DateTimeOffset now, TimeSpan timelyFor)
    {
        if (row.SafetyAlert) return new(true, "A safety alert to staff goes however late.");
        if (row.NotifyOnFailure is not null)
            return openCode is { Status: ReplyCodeStatus.Open } && !openCode.IsExpired(now)
                ? new(true, "The question is still open.")
                : new(false, "Not sent: the question it asked had closed or expired before SMS was configured.");
        var due = row.HeldAt ?? row.FirstSentAt;
        return now - due <= timelyFor
            ? new(true, "Still timely.")
            : new(false, $"Not sent: it was due {Math.Round((now - due).TotalMinutes)} min before SMS was configured, too late to be news.");
    }
}

/// <summary>On every start: says when SMS is not configured, and once it is, sends or withdraws what waited meanwhile.</summary>
public sealed class WaitingTextsRelease(SmsSetup setup, WaitingTexts texts, ILogger<WaitingTextsRelease> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!setup.Configured)
        {
            log.LogError(AlertEvents.SmsNotConfigured,
                "SMS is not configured: {Problem} Texts wait as not sent until it is; 111 intake is not affected", setup.Problem);
            return;
        }
        try
        {
            var released = await texts.ReleaseAsync(stoppingToken);
            if (released > 0) log.LogInformation("{Count} waiting SMS sent now that SMS is configured", released);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Waiting SMS could not be released; they are looked at again on the next start");
        }
    }
}
