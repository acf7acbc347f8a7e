using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;

namespace Workflows.Ecss;

/// <summary>Starts a case's bereavement follow-ups (<see cref="BereavementFollowUpWorkflow"/>) once, when a death is recorded.</summary>
public sealed class BereavementFollowUps(EcssSettings settings, CrisisCareSettings crisis)
{
    /// <summary>
    /// Starts the follow-ups of a case closed as died at <paramref name="diedAt"/>, unless they were started before (a
    /// close sent again) or nobody in the family consented to texts.
    /// </summary>
    public async Task StartAsync(DurableTaskClient client, CaseRecord c, DateTimeOffset diedAt, CancellationToken ct = default)
    {
        var periods = settings.FollowUpPeriods();
        if (periods.Count == 0 || !c.FamilyContacts.Any(f => f.SmsConsent)) return;
        var instanceId = BereavementFollowUpWorkflow.InstanceId(c.CaseId);
        if (await client.GetInstanceAsync(instanceId, ct) is not null) return;
        var start = new BereavementFollowUpStart(c.CaseId, BereavementSignposting.FollowUpTimes(diedAt, periods), crisis.Timings());
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(BereavementFollowUpWorkflow.Name, start, new StartOrchestrationOptions(InstanceId: instanceId), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Another request closing the same case may have started them a moment ago.
            if (await client.GetInstanceAsync(instanceId, ct) is null) throw;
        }
    }
}
