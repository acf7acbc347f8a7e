using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.Operations;

namespace Workflows.Functions.Operations;

/// <summary>The health route and the timers that keep the service watched and its task hub purged, each handing to Core.</summary>
public sealed class OperationsFunctions(HealthEndpoints health, ServiceWatch watch, OrchestrationHistoryPurge purge)
{
    [Function("Health")]
    public IActionResult Health([HttpTrigger(AuthorizationLevel.Function, "get", Route = "health")] HttpRequest req) =>
        new ResultAction(health.Health(req));

    /// <summary>Every 5 minutes (<see cref="ServiceWatch.Interval"/>): failed orchestrations, poisoned case starts, SMS not configured.</summary>
    [Function("WatchService")]
    public Task WatchService([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client) =>
        watch.CheckAsync(client);

    /// <summary>Daily at 03:00 UTC, a quiet hour: histories of orchestrations finished more than Operations__HistoryRetentionDays ago.</summary>
    [Function("PurgeOrchestrationHistory")]
    public Task PurgeOrchestrationHistory([TimerTrigger("0 0 3 * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client) =>
        purge.PurgeAsync(client);
}
