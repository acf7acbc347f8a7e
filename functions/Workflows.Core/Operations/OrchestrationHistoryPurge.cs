using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Workflows.Operations;

/// <summary>
/// Purges the history of orchestrations that finished (completed, failed or terminated) more than
/// Operations__HistoryRetentionDays ago: the task hub holds each case's inputs, which are patient data. Counted from when
/// the orchestration finished, not when it started. The case and referral rows and their timelines are the app's own
/// tables and are kept. Both hosts call it on a timer (the Functions app daily, the local host hourly).
/// </summary>
public sealed class OrchestrationHistoryPurge(OperationsSettings settings, TimeProvider time, ILogger<OrchestrationHistoryPurge> log)
{
    private static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>Purges what is due; returns how many instances were purged.</summary>
    public async Task<int> PurgeAsync(DurableTaskClient client, CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(settings.HistoryRetentionDays);
        // Anything that finished before the cutoff was created before it, so the query need not read newer instances.
        var query = new OrchestrationQuery { CreatedTo = cutoff, Statuses = Finished, PageSize = 100, FetchInputsAndOutputs = false };
        var purged = 0;
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(ct))
        {
            if (instance.LastUpdatedAt > cutoff) continue;
            purged += (await client.PurgeInstanceAsync(instance.InstanceId, cancellation: ct)).PurgedInstanceCount;
        }
        if (purged > 0)
            log.LogInformation("Purged the history of {Count} orchestration(s) finished more than {Days} days ago", purged, settings.HistoryRetentionDays);
        return purged;
    }
}
