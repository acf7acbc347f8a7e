using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.CrisisCare;
using Workflows.Messaging;

namespace Workflows.Operations;

/// <summary>
/// Looks for what nobody would otherwise see and logs it as the events the alerts read (<see cref="AlertEvents"/>):
/// orchestrations that failed, case starts given up on (the case-starts poison queue), and SMS still not configured.
/// Both hosts run it every <see cref="Interval"/>.
/// </summary>
public sealed class ServiceWatch(SmsSetup sms, CaseStartQueue starts, TimeProvider time, ILogger<ServiceWatch> log)
{
    /// <summary>How often the hosts run the check (the Functions timer's CRON says the same).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public sealed record Report(IReadOnlyList<string> FailedInstances, int PoisonedCaseStarts, bool SmsConfigured);

    public async Task<Report> CheckAsync(DurableTaskClient client, CancellationToken ct = default)
    {
        // A minute's overlap with the previous check: an alert counts a failure twice rather than miss it.
        var since = time.GetUtcNow() - Interval - TimeSpan.FromMinutes(1);
        var failed = new List<string>();
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed], PageSize = 100, FetchInputsAndOutputs = false };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (instance.LastUpdatedAt < since) continue;
            failed.Add(instance.InstanceId);
            log.LogError(AlertEvents.OrchestrationFailed, "Orchestration {InstanceId} ({Name}) failed: {Error}",
                instance.InstanceId, instance.Name, instance.FailureDetails?.ErrorType ?? "no failure details");
        }
        var poisoned = await starts.PoisonedCountAsync(ct);
        if (poisoned > 0)
            log.LogError(AlertEvents.CaseStartsPoisoned,
                "{Count} case start(s) given up on in {Queue}: those cases were flagged needs-attention and have no orchestration", poisoned, starts.Poison.Name);
        // Logged on every check while it lasts, not only at start: an app scaled to zero would otherwise go quiet.
        if (!sms.Configured)
            log.LogError(AlertEvents.SmsNotConfigured, "SMS is not configured: {Problem} Texts wait as not sent until it is", sms.Problem);
        return new Report(failed, poisoned, sms.Configured);
    }
}
