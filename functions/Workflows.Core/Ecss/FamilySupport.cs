using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;

namespace Workflows.Ecss;

/// <summary>
/// Starts what the service does for a family beside a case, once per case: the carer's wellbeing check-ins when the case
/// goes to ECSS (<see cref="CarerCheckInWorkflow"/>), the bereavement follow-ups when a death is recorded
/// (<see cref="BereavementFollowUpWorkflow"/>). Nothing starts when nobody in the family consented to texts.
/// </summary>
public sealed class FamilySupport(EcssSettings settings, CrisisCareSettings crisis)
{
    /// <summary>The follow-ups of a case closed as died at <paramref name="diedAt"/>.</summary>
    public async Task StartAsync(DurableTaskClient client, CaseRecord c, DateTimeOffset diedAt, CancellationToken ct = default)
    {
        var periods = settings.FollowUpPeriods();
        if (periods.Count == 0 || !c.FamilyContacts.Any(f => f.SmsConsent)) return;
        await OrchestrationStarts.StartOnceAsync(client, BereavementFollowUpWorkflow.Name, BereavementFollowUpWorkflow.InstanceId(c.CaseId),
            new BereavementFollowUpStart(c.CaseId, BereavementSignposting.FollowUpTimes(diedAt, periods), crisis.Timings()), ct);
    }

    /// <summary>The carer's check-ins of a case the ANP has sent to ECSS.</summary>
    public async Task StartCarerCheckInsAsync(DurableTaskClient client, CaseRecord c, CancellationToken ct = default)
    {
        if (!c.FamilyContacts.Any(f => f.SmsConsent)) return;
        await OrchestrationStarts.StartOnceAsync(client, CarerCheckInWorkflow.Name, CarerCheckInWorkflow.InstanceId(c.CaseId),
            new CarerCheckInStart(c.CaseId, settings.CarerCheckIns(), crisis.Timings()), ct);
    }
}
