using Workflows.Storage;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Http;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Workflows.CrisisCare.Bars;

/// <summary>What a processed referral message did to its case.</summary>
public sealed record BarsApplied(string CaseId, string NhsNumber, bool Created);

/// <summary>
/// Acts on a BaRS referral: a new one goes through <see cref="CaseIntake"/> like a JSON 111 call; an update changes the
/// case's contact details and reason; a cancellation closes the case as "cancelled". Each is safe to repeat.
/// </summary>
public sealed class BarsReferrals(CaseIntake intake, CaseDecisions decisions, CaseStore cases, CaseTimeline timeline,
    TimeProvider time, ILogger<BarsReferrals> log)
{
    public const string Actor = "NHS 111";

    public async Task<(BarsApplied? Applied, BarsRejection? Rejection)> ApplyAsync(BarsReferral referral, Guid requestId,
        DurableTaskClient client, CancellationToken ct = default)
    {
        if (referral.Action == BarsAction.New)
        {
            var accepted = await intake.AcceptAsync(referral.Call!, client, ct);
            return (new BarsApplied(accepted.CaseId, referral.Call!.Patient.NhsNumber, accepted.Created), null);
        }

        var existing = await FindAsync(referral, ct);
        if (existing is null)
            return (null, new BarsRejection(404, "REC_NOT_FOUND", [new BarsIssue(IssueType.NotFound,
                $"There is no referral with ServiceRequest.identifier '{referral.CallId}' here: send it as reason 'new' first.", "ServiceRequest.identifier")]));
        if (existing.Status == CaseStatus.Closed)
            return (null, new BarsRejection(409, "REC_CONFLICT", [new BarsIssue(IssueType.Conflict,
                $"Case {CaseActivities.ShortId(existing.CaseId)} was closed ({existing.CloseReason}) at {existing.ClosedAt:u} and is no longer current; " +
                "phone the SPOC if the patient needs help again.", "ServiceRequest.status")]));

        var stepId = requestId.ToString("N");
        var now = time.GetUtcNow();
        if (referral.Action == BarsAction.Cancel)
        {
            // A cancellation that comes before the case's orchestration has started is kept and closes the case when it starts.
            var closing = await decisions.CloseAsync(existing.CaseId,
                new CloseRequest("cancelled", $"Cancelled by NHS 111: {referral.CancellationReason}", "nhs-111", Actor, now), client, ct);
            if (closing.Result == DecisionResult.NotStarted)
                return (null, new BarsRejection(503, "REC_SERVICE_UNAVAILABLE", [new BarsIssue(IssueType.Transient,
                    $"Case {CaseActivities.ShortId(existing.CaseId)} was opened a moment ago and has not started yet; nothing was changed. " +
                    "Retry with the same X-Request-ID in a few seconds.")]));
            if (closing.Result == DecisionResult.Conflict)
                return (null, new BarsRejection(409, "REC_CONFLICT", [new BarsIssue(IssueType.Conflict,
                    $"Case {CaseActivities.ShortId(existing.CaseId)}: {closing.Detail} Phone the SPOC if the patient needs help again.", "ServiceRequest.status")]));
            await timeline.AppendAsync(new TimelineEntry(existing.CaseId, stepId, now, "referral-cancelled", Actor,
                $"NHS 111 cancelled the referral: {referral.CancellationReason}"), ct);
            log.LogInformation("Case {CaseId} cancelled by BaRS message {RequestId}", existing.CaseId, requestId);
        }
        else
        {
            var changed = await UpdateAsync(existing, referral.Changes!, ct);
            await timeline.AppendAsync(new TimelineEntry(existing.CaseId, stepId, now, "referral-updated", Actor,
                changed.Count == 0 ? "NHS 111 sent an update with no change to the case." : $"NHS 111 updated the referral: {string.Join(", ", changed)}."), ct);
            log.LogInformation("Case {CaseId} updated by BaRS message {RequestId}", existing.CaseId, requestId);
        }
        return (new BarsApplied(existing.CaseId, existing.NhsNumber, false), null);
    }

    /// <summary>Changes the fields the update changes, on the case as it stands, and names them.</summary>
    private async Task<List<string>> UpdateAsync(CaseRecord c, ReferralChanges u, CancellationToken ct)
    {
        var changed = new List<string>();
        await cases.ChangeAsync(c.CaseId, row =>
        {
            changed.Clear();
            string? Set(string? value, string? current, string what)
            {
                if (value is null || value == current) return current;
                changed.Add(what);
                return value;
            }
            row.CallbackNumber = Set(u.CallbackNumber, row.CallbackNumber, "callback number")!;
            row.PatientPhone = Set(u.PatientPhone, row.PatientPhone, "patient's phone");
            row.Address = Set(u.Address, row.Address, "address")!;
            row.Postcode = Set(u.Postcode, row.Postcode, "postcode")!;
            row.Reason = Set(u.Reason, row.Reason, "clinical narrative")!;
            if (u.FamilyContacts is not null)
                row.FamilyContactsJson = Set(JsonSerializer.Serialize(u.FamilyContacts, Json.Options), row.FamilyContactsJson, "family contacts")!;
            return changed.Count > 0;
        }, ct);
        return changed;
    }

    /// <summary>The case by the id this receiver gave back (ServiceRequest.id), else by the sender's ServiceRequest.identifier.</summary>
    private async Task<CaseRecord?> FindAsync(BarsReferral referral, CancellationToken ct)
    {
        foreach (var caseId in new[] { referral.ReceiverServiceRequestId, CaseRecord.IdFor(referral.CallId) }.OfType<string>().Distinct())
            if (await cases.FindAsync(caseId, ct) is { } c) return c;
        return null;
    }
}
