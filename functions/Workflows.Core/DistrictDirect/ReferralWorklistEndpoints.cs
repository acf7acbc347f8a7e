using Microsoft.AspNetCore.Http;
using Workflows.Http;

namespace Workflows.DistrictDirect;

/// <summary>
/// GET /api/district-direct/referrals?status=awaiting-assessment,awaiting-approval,needs-attention: an officer's work
/// list, parked referrals first then oldest first, each awaiting-approval referral with its spend requests still to decide.
/// </summary>
public sealed class ReferralWorklistEndpoints(ReferralStore store, FundLedger ledger)
{
    private static readonly string[] Open =
        [ReferralStatus.AwaitingAssessment, ReferralStatus.AwaitingApproval, ReferralStatus.AwaitingDischarge, ReferralStatus.NeedsAttention];

    public async Task<IResult> Worklist(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.DdOfficer, Roles.DdManager).Problem is { } denied) return denied;
        var asked = ((string?)request.Query["status"] ?? $"{ReferralStatus.AwaitingAssessment},{ReferralStatus.AwaitingApproval},{ReferralStatus.NeedsAttention}")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (asked.Length == 0 || asked.Any(s => !Open.Contains(s)))
            return Problems.Validation(new Dictionary<string, string[]> { ["status"] = [$"Use one or more of: {string.Join(", ", Open)}."] });

        var referrals = new List<ReferralRecord>();
        await foreach (var r in store.OpenAsync(request.HttpContext.RequestAborted))
            // A parked referral keeps its stage, with AttentionAt set beside it.
            if (asked.Any(s => s == ReferralStatus.NeedsAttention ? r.AttentionAt is not null : r.Status == s))
                referrals.Add(r);

        var items = new List<object>();
        foreach (var r in referrals.OrderBy(r => r.AttentionAt is null).ThenBy(r => r.CreatedAt))
        {
            var pending = r.Status == ReferralStatus.AwaitingApproval && r.FundYear is not null
                ? (await ledger.ForReferralAsync(r.FundYear, r.ReferralId)).Where(s => s.Status == SpendStatus.Pending).ToList()
                : [];
            items.Add(new
            {
                referralId = r.ReferralId, status = r.Status, source = r.Source, hospital = r.Hospital,
                patient = new { name = r.PatientName, postcode = r.Postcode },
                blockers = r.BlockerList, fitForDischargeAt = r.FitForDischargeAt, createdAt = r.CreatedAt,
                findings = r.Findings,
                needsAttention = r.AttentionAt is null ? null : new { reason = r.AttentionReason, at = r.AttentionAt },
                pendingSpend = pending.Select(s => new { spendRequestId = s.Id, item = s.Item, supplier = s.Supplier, amountPence = s.AmountPence }),
            });
        }
        return Results.Json(new { referrals = items }, Json.Options);
    }
}
