using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Http;
using Workflows.Storage;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Workflows.CrisisCare.Bars;

/// <summary>What a processed referral message did to its case.</summary>
public sealed record BarsApplied(string CaseId, string NhsNumber, bool Created);

/// <summary>
/// Acts on a BaRS referral: a new one goes through <see cref="CaseIntake"/> like a JSON 111 call; an update changes the
/// case's contact details and reason; a cancellation closes the case as "cancelled". Each is safe to repeat.
/// </summary>
public sealed class BarsReferrals(CaseIntake intake, CrisisCareEndpoints crisisCare, TableStore store, CaseTimeline timeline,
    TimeProvider time, ILogger<BarsReferrals> log)
{
    public const string Actor = "NHS 111";

    private TableClient Cases => store.Table(TableNames.Cases);

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
            await timeline.AppendAsync(new CaseEvent(existing.CaseId, stepId, now, "referral-cancelled", Actor,
                $"NHS 111 cancelled the referral: {referral.CancellationReason}"), ct);
            await crisisCare.RequestCloseAsync(existing.CaseId,
                new CloseRequest("cancelled", $"Cancelled by NHS 111: {referral.CancellationReason}", "nhs-111", Actor, now), client);
            log.LogInformation("Case {CaseId} cancelled by BaRS message {RequestId}", existing.CaseId, requestId);
        }
        else
        {
            var changed = await UpdateAsync(existing, referral.Changes!, ct);
            await timeline.AppendAsync(new CaseEvent(existing.CaseId, stepId, now, "referral-updated", Actor,
                changed.Count == 0 ? "NHS 111 sent an update with no change to the case." : $"NHS 111 updated the referral: {string.Join(", ", changed)}."), ct);
            log.LogInformation("Case {CaseId} updated by BaRS message {RequestId}", existing.CaseId, requestId);
        }
        return (new BarsApplied(existing.CaseId, existing.NhsNumber, false), null);
    }

    /// <summary>Merges the fields the update changes (ETag.All: contact details never race a triage decision) and names them.</summary>
    private async Task<List<string>> UpdateAsync(CaseRecord c, ReferralChanges u, CancellationToken ct)
    {
        var merge = new TableEntity(c.CaseId, CaseRecord.Row);
        var changed = new List<string>();
        void Set(string field, string? value, string? current, string what)
        {
            if (value is null || value == current) return;
            merge[field] = value;
            changed.Add(what);
        }
        Set(nameof(CaseRecord.CallbackNumber), u.CallbackNumber, c.CallbackNumber, "callback number");
        Set(nameof(CaseRecord.PatientPhone), u.PatientPhone, c.PatientPhone, "patient's phone");
        Set(nameof(CaseRecord.Address), u.Address, c.Address, "address");
        Set(nameof(CaseRecord.Postcode), u.Postcode, c.Postcode, "postcode");
        Set(nameof(CaseRecord.Reason), u.Reason, c.Reason, "clinical narrative");
        if (u.FamilyContacts is not null)
            Set(nameof(CaseRecord.FamilyContactsJson), JsonSerializer.Serialize(u.FamilyContacts, Json.Options), c.FamilyContactsJson, "family contacts");
        if (changed.Count > 0) await Cases.UpdateEntityAsync(merge, ETag.All, TableUpdateMode.Merge, ct);
        return changed;
    }

    /// <summary>The case by the id this receiver gave back (ServiceRequest.id), else by the sender's ServiceRequest.identifier.</summary>
    private async Task<CaseRecord?> FindAsync(BarsReferral referral, CancellationToken ct)
    {
        foreach (var caseId in new[] { referral.ReceiverServiceRequestId, CaseRecord.IdFor(referral.CallId) }.OfType<string>().Distinct())
        {
            var r = await Cases.GetEntityIfExistsAsync<CaseRecord>(caseId, CaseRecord.Row, cancellationToken: ct);
            if (r.HasValue) return r.Value;
        }
        return null;
    }
}
