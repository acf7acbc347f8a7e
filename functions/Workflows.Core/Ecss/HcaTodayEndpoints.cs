using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Workflows.CrisisCare;
using Workflows.Http;
using Workflows.Storage;
using Workflows.Validation;

namespace Workflows.Ecss;

/// <summary>GET /api/ecss/my-cases: what an HCA on shift needs on their phone (the HCA today page).</summary>
public sealed class HcaTodayEndpoints(HcaOfferStore offerStore, CaseStore cases, TimeProvider time)
{
    /// <summary>
    /// The caller's cases: those they are assigned to (with the address, because they have to get there), those they were
    /// with that closed within <see cref="EcssEndpoints.LastVisitWindow"/> (their last visit can still be recorded) and,
    /// apart, offers still open to them (postcode only, like the offer SMS, until they accept), each with the id to answer
    /// it by. The caller's HCA id is the principal's userId, as the visits route and the case page check it.
    /// </summary>
    public async Task<IResult> MyCases(HttpRequest request)
    {
        var (hca, denied) = StaffPrincipal.Require(request, Roles.Hca);
        if (denied is not null) return denied;
        var now = time.GetUtcNow();

        var assigned = new List<object>();
        var rows = new List<CaseRecord>();
        await foreach (var c in cases.WithHcaAsync(hca!.UserId, now - EcssEndpoints.LastVisitWindow, now)) rows.Add(c);
        foreach (var c in rows.OrderBy(c => c.Status == CaseStatus.Closed).ThenBy(c => c.BridgingSince))
            // The page shows given names only: enough to greet the family at the door.
            assigned.Add(new
            {
                caseId = c.CaseId, status = c.Status, patientName = c.PatientName, address = c.Address, postcode = c.Postcode,
                patientPhone = c.PatientPhone, bridgingSince = c.BridgingSince, lastContactAt = c.LastContactAt,
                familyContacts = c.FamilyContacts.Select(f => new { firstName = PersonName.GivenName(f.Name), f.Relationship, f.Phone }),
                // At the door: whether to resuscitate, where the just-in-case medicines are, whom to ask for.
                whatMatters = WhatMatters.Of(c),
                closed = c.ClosedAt is null ? null : new { reason = c.CloseReason, at = c.ClosedAt },
                caseUrl = $"/api/cases/{c.CaseId}",
            });

        var offers = new List<(DateTimeOffset At, object View)>();
        await foreach (var o in offerStore.OpenForAsync(hca.UserId, now))
        {
            if (await cases.FindAsync(o.PartitionKey) is not { } c || c.OfferedTo != hca.UserId) continue;
            var offeredAt = o.GetDateTimeOffset("OfferedAt")!.Value;
            offers.Add((offeredAt, new
            {
                // The link id the offer text carries: the page answers through it as the link does (OfferAnswerEndpoints).
                offerId = o.GetString("LinkId"),
                caseId = o.PartitionKey, postcode = c.Postcode, offeredAt, expiresAt = o.GetDateTimeOffset("ExpiresAt"),
            }));
        }

        return Results.Json(new
        {
            hcaId = hca.UserId,
            cases = assigned,
            offers = offers.OrderBy(o => o.At).Select(o => o.View),
        }, Json.Options);
    }
}
