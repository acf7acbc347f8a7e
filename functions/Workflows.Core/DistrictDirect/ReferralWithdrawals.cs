using Workflows.Storage;

namespace Workflows.DistrictDirect;

/// <summary>A referral withdrawn before discharge (POST .../referrals/{id}/withdraw), raised on its orchestration to end it.</summary>
public sealed record ReferralWithdrawn(string Reason, string By, DateTimeOffset At);

/// <summary>How a withdrawal went: done (with what it released), or why not.</summary>
public sealed record Withdrawal(ReferralRecord? Referral, long ReleasedPence = 0, int Cancelled = 0, string? Conflict = null);

/// <summary>
/// Withdraws a referral whose patient will not go home with the service (died in hospital, no longer needs it): every
/// spend request still pending or approved is cancelled, so its commitment goes back to the fund, and the referral ends,
/// on its timeline. Refused once discharged. Safe to repeat: the same withdrawal sent again finishes what it began.
/// </summary>
public sealed class ReferralWithdrawals(ReferralStore referrals, FundLedger ledger, ReferralTimeline timeline)
{
    public async Task<Withdrawal> WithdrawAsync(string referralId, ReferralWithdrawn withdrawal, string byName, CancellationToken ct = default)
    {
        string? conflict = null;
        var r = await referrals.FindAsync(referralId, ct);
        if (r is null) return new Withdrawal(null);
        // The ETag makes this a claim: a discharge or another withdrawal at the same moment, one of the two wins.
        r = await referrals.ChangeAsync(r.ReferralId, x =>
        {
            conflict = x.Status switch
            {
                ReferralStatus.Discharged => $"The patient was discharged at {x.DischargedAt:u}; a discharged referral is not withdrawn.",
                ReferralStatus.Withdrawn when x.WithdrawnBy != withdrawal.By || x.WithdrawalReason != withdrawal.Reason =>
                    $"This referral was withdrawn by {x.WithdrawnByName} at {x.WithdrawnAt:u}: {x.WithdrawalReason}",
                _ => null,
            };
            if (conflict is null && x.Status != ReferralStatus.Withdrawn)
                (x.Status, x.WithdrawalReason, x.WithdrawnBy, x.WithdrawnByName, x.WithdrawnAt) =
                    (ReferralStatus.Withdrawn, withdrawal.Reason, withdrawal.By, byName, withdrawal.At);
            return Task.CompletedTask;
        }, ct);
        if (conflict is not null) return new Withdrawal(r, Conflict: conflict);

        // From here every step is safe to repeat, at the withdrawal's own time, so a retry completes what a failed try began.
        var at = r.WithdrawnAt!.Value;
        var requests = r.FundYear is null ? [] : await ledger.ForReferralAsync(r.FundYear, r.ReferralId, ct);
        foreach (var s in requests.Where(s => s.Status is SpendStatus.Pending or SpendStatus.Approved))
            await ledger.CancelAsync(s.Id, withdrawal.By, $"Referral withdrawn: {withdrawal.Reason}", at, ct);
        r = await referrals.RefreshSpendAsync(r.ReferralId, ct);
        var cancelled = r.FundYear is null ? [] : (await ledger.ForReferralAsync(r.FundYear, r.ReferralId, ct))
            .Where(s => s.Status == SpendStatus.Cancelled && s.CancelledAt == at).ToList();
        var released = cancelled.Sum(s => s.ReleasedPence);
        await timeline.AppendAsync(new TimelineEntry(r.ReferralId, "withdrawn", at, "withdrawn", byName,
            $"Withdrawn: {withdrawal.Reason} {cancelled.Count} spend request(s) cancelled; {DistrictDirectTexts.Money(released)} released back to the fund."), ct);
        return new Withdrawal(r, released, cancelled.Count);
    }
}
