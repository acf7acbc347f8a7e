using Microsoft.AspNetCore.Http;
using Workflows.Http;
using Workflows.Messaging;

namespace Workflows.CrisisCare;

/// <summary>
/// GET /api/cases/{caseId}/messages: the texts sent about a case (messages are tagged with their case id) and what
/// became of each, for the ANP and coordinator. A recipient is named from the case (family contact, patient, caller);
/// any other number is staff and shown only by its last three digits.
/// </summary>
public sealed class CaseMessagesEndpoints(SentMessages sent, CaseStore cases)
{
    public async Task<IResult> Messages(HttpRequest request, string caseId)
    {
        if (StaffPrincipal.Require(request, Roles.Anp, Roles.Coordinator).Problem is { } denied) return denied;
        if (await cases.FindAsync(caseId) is not { } c) return Problems.NotFound($"There is no case {caseId}.");

        var messages = await sent.ForTagAsync(caseId, request.HttpContext.RequestAborted);

        return Results.Json(new
        {
            caseId,
            messages = messages.OrderBy(m => m.FirstSentAt).Select(m =>
            {
                var (recipient, known) = Recipient(c, m.To);
                return new
                {
                    messageId = m.MessageId,
                    recipient,
                    to = known ? m.To : Masked(m.To),
                    body = m.Body,
                    status = m.Status,
                    sentAt = m.SentAt ?? m.FirstSentAt,
                    deliveryReportAt = m.DeliveryReportAt,
                    error = m.Error,
                };
            }),
        }, Json.Options);
    }

    private static (string Recipient, bool Known) Recipient(CaseRecord c, string to)
    {
        if (c.FamilyContacts.FirstOrDefault(f => f.Phone == to) is { } f) return ($"{f.Name} ({f.Relationship})", true);
        if (c.PatientPhone == to) return ("Patient", true);
        if (c.CallbackNumber == to) return ($"Caller ({c.CallerRole})", true);
        return ("Staff", false);
    }

    private static string Masked(string phone) => phone.Length > 3 ? $"ending {phone[^3..]}" : "hidden";
}
