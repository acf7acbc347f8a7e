using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Operations;

namespace Workflows.Messaging;

/// <summary>A text someone sent to our number, as ACS reports it.</summary>
public sealed record InboundSms(string MessageId, string From, string Text, DateTimeOffset ReceivedAt);

/// <summary>A delivery receipt for a text we sent.</summary>
public sealed record DeliveryReceipt(string ProviderMessageId, string Status, string? Details, DateTimeOffset ReceivedAt);

public enum InboundOutcome { Applied, Duplicate, OptedOut, OptedIn, MovedOn, Ignored }

/// <summary>
/// Acts on what comes back from phones: answers to reply codes become <see cref="SmsReply"/> events on the
/// orchestration that asked, STOP and START change the opt-out list, and delivery receipts are recorded against
/// the message (an undelivered question is answered UNDELIVERED, so its flow moves on at once).
/// Logs carry codes and ids, never a phone number or the text of a message.
/// </summary>
public sealed class SmsInbox(ReplyCodes codes, CodeAnswers answers, ReplyAttempts attempts, SmsOptOuts optOuts, SmsOutbound outbound,
    SentMessages sent, InboundClaims claims, IStaffPhones staff, SmsSettings settings, ILogger<SmsInbox> log)
{
    public async Task<InboundOutcome> ReceiveAsync(InboundSms sms, DurableTaskClient client, CancellationToken ct = default)
    {
        if (await claims.TryClaimAsync("received", sms.MessageId, ct) is not { } claim)
        {
            log.LogInformation("Inbound SMS {MessageId} already handled", sms.MessageId);
            return InboundOutcome.Duplicate;
        }
        try
        {
            var outcome = await HandleAsync(sms, client, ct);
            await claims.CompleteAsync(claim, outcome.ToString(), ct);
            return outcome;
        }
        catch
        {
            await claims.ReleaseAsync(claim);
            throw;
        }
    }

    private async Task<InboundOutcome> HandleAsync(InboundSms sms, DurableTaskClient client, CancellationToken ct)
    {
        var text = SmsReplyText.Parse(sms.Text);
        switch (text.Kind)
        {
            case SmsReplyText.Kinds.Stop:
                var newly = await optOuts.StopAsync(sms.From, sms.ReceivedAt, ct);
                if (await staff.IsStaffAsync(sms.From, ct))
                {
                    await StaffStoppedAsync(sms, newly, ct);
                    return InboundOutcome.OptedOut;
                }
                log.LogInformation("Inbound SMS {MessageId}: STOP recorded", sms.MessageId);
                await outbound.SendAsync(Reply(sms, "stop", SmsTemplates.OptedOut(), SmsAudience.Family), respectOptOut: false, ct);
                return InboundOutcome.OptedOut;

            case SmsReplyText.Kinds.Start:
                await optOuts.StartAsync(sms.From, sms.ReceivedAt, ct);
                log.LogInformation("Inbound SMS {MessageId}: START recorded", sms.MessageId);
                await outbound.SendAsync(Reply(sms, "start", SmsTemplates.OptedIn(), SmsAudience.Family), ct);
                return InboundOutcome.OptedIn;

            case SmsReplyText.Kinds.Answer:
                return await AnswerAsync(sms, text.Answer!, text.Code!, client, ct);

            default:
                log.LogInformation("Inbound SMS {MessageId} is not an answer, STOP or START; ignored", sms.MessageId);
                return InboundOutcome.Ignored;
        }
    }

    /// <summary>
    /// An answer is counted against its phone before its code is looked up (<see cref="ReplyAttempts"/>): a wrong or
    /// unknown code keeps the count, the phone's own code gives it back. A phone out of attempts is ignored for a while.
    /// </summary>
    private async Task<InboundOutcome> AnswerAsync(InboundSms sms, string answer, string code, DurableTaskClient client, CancellationToken ct)
    {
        if (!await attempts.TryTakeAsync(sms.From, ct))
        {
            log.LogWarning("Reply (SMS {MessageId}) ignored: its phone sent too many wrong reply codes", sms.MessageId);
            return InboundOutcome.Ignored;
        }
        var wrong = false;
        try
        {
            var record = await codes.FindAsync(code, ct);
            wrong = record is null || record.Phone != sms.From;
            if (wrong)
            {
                // Never applied to the code's case: only the phone the question went to may answer it.
                if (record is null) log.LogWarning("Reply to unknown code {Code} (SMS {MessageId}) ignored", code, sms.MessageId);
                else log.LogWarning("Reply to code {Code} from another phone (SMS {MessageId}) ignored", code, sms.MessageId);
                if (await attempts.WrongAsync(sms.From, ct)) await RepliesPausedAsync(sms, ct);
                return InboundOutcome.Ignored;
            }
            return await AnswerOwnCodeAsync(sms, answer, record!, client, ct);
        }
        finally
        {
            if (!wrong) await attempts.ReturnAsync(sms.From);
        }
    }

    /// <summary>
    /// The phone's replies are ignored from now for the lockout: logged as a warning, and if the phone is staff's (the
    /// only phones codes are issued to) the coordinator is told, once, to ring them: offers to it move on meanwhile.
    /// </summary>
    private async Task RepliesPausedAsync(InboundSms sms, CancellationToken ct)
    {
        log.LogWarning("SMS {MessageId}: a phone sent {Limit} wrong reply codes; its replies are ignored for {Minutes} min",
            sms.MessageId, settings.ReplyAttemptLimit, settings.ReplyLockoutMinutes);
        if (await staff.IsStaffAsync(sms.From, ct))
            await TellCoordinatorAsync(sms, "replies-paused",
                SmsTemplates.CoordinatorRepliesPaused(sms.From, settings.ReplyAttemptLimit, (int)Math.Ceiling(settings.ReplyLockoutMinutes)), ct);
    }

    /// <summary>An answer from the code's own phone goes the one way answers go (<see cref="CodeAnswers"/>); a late one is told it moved on.</summary>
    private async Task<InboundOutcome> AnswerOwnCodeAsync(InboundSms sms, string answer, ReplyCodeRecord record,
        DurableTaskClient client, CancellationToken ct)
    {
        switch (await answers.AnswerAsync(record, new SmsReply(record.Code, answer, sms.From, sms.ReceivedAt), client, ct))
        {
            case AnswerOutcome.Applied:
                return InboundOutcome.Applied;
            case AnswerOutcome.Closed or AnswerOutcome.Expired:
                log.LogInformation("Late reply {MessageId} to code {Code} (instance {InstanceId}); told it has moved on", sms.MessageId, record.Code, record.InstanceId);
                if (record.Purpose == ReplyPurposes.CarerCheckIn)
                {
                    await LateCarerAnswerAsync(sms, answer, record, ct);
                    return InboundOutcome.MovedOn;
                }
                var body = record.Purpose == ReplyPurposes.DdApproval ? SmsTemplates.ApprovalClosed(record.Code) : SmsTemplates.OfferMovedOn(null, record.Code);
                await outbound.SendAsync(Reply(sms, "moved-on", body, SmsAudience.Staff), ct);
                return InboundOutcome.MovedOn;
            default:
                return InboundOutcome.Ignored;
        }
    }

    public async Task<InboundOutcome> ReceiptAsync(DeliveryReceipt receipt, DurableTaskClient client, CancellationToken ct = default)
    {
        var message = await sent.FindByProviderIdAsync(receipt.ProviderMessageId, ct);
        if (message is null)
        {
            log.LogWarning("Delivery receipt for unknown ACS message {ProviderMessageId} ignored", receipt.ProviderMessageId);
            return InboundOutcome.Ignored;
        }
        var delivered = string.Equals(receipt.Status, "Delivered", StringComparison.OrdinalIgnoreCase);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            // A report older than the one we have changes nothing (Event Grid does not keep order).
            if (message.DeliveryReportAt is { } seen && seen > receipt.ReceivedAt) return InboundOutcome.Duplicate;
            var raise = !delivered && message.NotifyOnFailure is not null && !message.UndeliveredRaised;
            message.Status = delivered ? SmsStatus.Delivered : SmsStatus.Undelivered;
            message.DeliveryStatus = receipt.Status;
            message.DeliveryDetails = receipt.Details;
            message.DeliveryReportAt = receipt.ReceivedAt;
            if (!delivered) message.Error = $"Not delivered: {receipt.Status}. {receipt.Details}".Trim();
            message.UndeliveredRaised |= raise;
            if (!await sent.TryUpdateAsync(message, ct))
            {
                message = await sent.FindByProviderIdAsync(receipt.ProviderMessageId, ct) ?? message;
                continue;
            }
            if (delivered) log.LogInformation("SMS {MessageId} ({Tag}) delivery: {Status}", message.MessageId, message.Tag, receipt.Status);
            else log.LogWarning(AlertEvents.SmsNotSent, "SMS {MessageId} ({Tag}) not delivered ({Status})", message.MessageId, message.Tag, receipt.Status);
            if (!raise) return InboundOutcome.Applied;

            var route = message.NotifyOnFailure!;
            var code = await codes.FindOpenAsync(route, message.To, ct) ?? "";
            try
            {
                await client.RaiseEventAsync(route.InstanceId, route.EventName,
                    new SmsReply(code, SmsAnswers.Undelivered, message.To, receipt.ReceivedAt), ct);
            }
            catch
            {
                message.UndeliveredRaised = false;
                await sent.TryUpdateAsync(message, CancellationToken.None);
                throw;
            }
            log.LogInformation("SMS {MessageId} undelivered: raised {EventName} on {InstanceId}", message.MessageId, route.EventName, route.InstanceId);
            return InboundOutcome.Applied;
        }
        throw new InvalidOperationException($"SMS {message.MessageId} kept changing while its receipt was recorded; Event Grid will retry.");
    }

    /// <summary>
    /// A STOP from a staff phone stops family texts to it (the person may be family too), never their work texts: it is
    /// logged as a warning, the sender is told their work texts still come, and the coordinator is told once per opt-out.
    /// </summary>
    private async Task StaffStoppedAsync(InboundSms sms, bool newly, CancellationToken ct)
    {
        log.LogWarning("Inbound SMS {MessageId}: STOP from a staff phone recorded; its staff texts still go, family texts do not", sms.MessageId);
        await outbound.SendAsync(Reply(sms, "stop", SmsTemplates.StaffOptedOut(), SmsAudience.Staff), ct);
        if (newly) await TellCoordinatorAsync(sms, "staff-stop", SmsTemplates.CoordinatorStaffOptedOut(sms.From), ct);
    }

    /// <summary>
    /// A carer who answers a wellbeing check-in after its window is thanked and told where help is now; a late 1, 2 or
    /// HELP still reaches the coordinator, with the case (the code's subject), never dropped for being late (H66).
    /// </summary>
    private async Task LateCarerAnswerAsync(InboundSms sms, string answer, ReplyCodeRecord record, CancellationToken ct)
    {
        await outbound.SendAsync(Reply(sms, "check-in-closed", SmsTemplates.CarerCheckInClosed(), SmsAudience.Family), ct);
        var caseId = (record.Subject ?? "").Split('/')[0];
        if (!Ecss.CarerCheckInWorkflow.Distress.Contains(answer) || !caseId.StartsWith("case-", StringComparison.Ordinal)) return;
        await TellCoordinatorAsync(sms, "carer-struggling", SmsTemplates.CoordinatorCarerDistress(CrisisCare.CaseActivities.ShortId(caseId), answer), ct);
    }

    /// <summary>A text to the coordinator about an inbound text, sent once however often the text is delivered.</summary>
    private async Task TellCoordinatorAsync(InboundSms sms, string kind, string body, CancellationToken ct)
    {
        if (await staff.CoordinatorAsync(ct) is not { } coordinator)
        {
            log.LogWarning("Inbound SMS {MessageId}: no coordinator phone is set to tell ({Kind})", sms.MessageId, kind);
            return;
        }
        await outbound.SendAsync(new SmsMessage($"{kind}-{SentMessages.Key(sms.MessageId)}", coordinator, body, $"sms-{kind}", SmsAudience.Staff), ct);
    }

    /// <summary>An automatic answer to an inbound text, sent once however often the text is delivered.</summary>
    private static SmsMessage Reply(InboundSms sms, string kind, string body, SmsAudience audience) =>
        new($"reply-{kind}-{SentMessages.Key(sms.MessageId)}", sms.From, body, $"sms-{kind}", audience);
}
