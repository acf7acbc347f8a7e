using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Workflows.DistrictDirect;

/// <summary>
/// Turns a validated referral into one referral and one orchestration. The DischargeReferrals row keyed by the
/// referral id is the guard: the delivery that inserts it starts the orchestration (instance "dd-{referralId}");
/// every other delivery of the same referral gets the same answer.
/// </summary>
public sealed class ReferralIntake(ReferralStore referrals, DistrictDirectSettings settings, TimeProvider time, ILogger<ReferralIntake> log)
{
    /// <summary>A referral whose row exists but whose orchestration never started is restarted by a redelivery after this.</summary>
    private static readonly TimeSpan OrphanAfter = TimeSpan.FromSeconds(30);

    public sealed record Accepted(string ReferralId, string Status, bool Created);

    public async Task<Accepted> AcceptAsync(DischargeReferral referral, DurableTaskClient client, CancellationToken ct = default)
    {
        var record = ReferralRecord.From(referral, time.GetUtcNow(), settings.AverageDelayDays);
        if (!await referrals.TryAddAsync(record, ct))
        {
            var existing = (await referrals.FindAsync(record.ReferralId, ct))!;
            if (time.GetUtcNow() - existing.CreatedAt > OrphanAfter && await client.GetInstanceAsync(existing.InstanceId, ct) is null)
            {
                log.LogWarning("Referral {ReferralId} had no orchestration; starting it from a redelivery", existing.ReferralId);
                await StartAsync(client, existing, ct);
            }
            return new Accepted(existing.ReferralId, existing.Status, false);
        }

        try
        {
            await StartAsync(client, record, ct);
        }
        catch
        {
            // No orchestration means no referral: remove the guard so the referring system's retry can make it.
            await referrals.RemoveAsync(record.ReferralId, CancellationToken.None);
            throw;
        }
        log.LogInformation("Referral {ReferralId} accepted", record.ReferralId);
        return new Accepted(record.ReferralId, record.Status, true);
    }

    private Task StartAsync(DurableTaskClient client, ReferralRecord r, CancellationToken ct) =>
        client.ScheduleNewOrchestrationInstanceAsync(DischargeReferralWorkflow.Name,
            new DischargeReferralStart(r.ReferralId, r.CreatedAt, r.BlockerList.Contains(Blockers.Homeless), settings.Timings()),
            new StartOrchestrationOptions(InstanceId: r.InstanceId), ct);
}
