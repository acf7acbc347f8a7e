using Microsoft.DurableTask.Client;
using Workflows.DistrictDirect;
using Workflows.Operations;

namespace Workflows.LocalHost;

public static class OperationsRoutes
{
    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        // The same answer at /health (no key: what run-local.sh and the restart tests poll) and at /api/health.
        app.MapGet("/health", (HttpRequest r, HealthEndpoints e) => e.Health(r));
        api.MapGet("/health", (HttpRequest r, HealthEndpoints e) => e.Health(r));
    }
}

/// <summary>
/// The Functions app's WatchService, PurgeOrchestrationHistory and WatchFundYearEnd timers, in the local host: the watch
/// every 5 minutes, the purge and the fund year's end hourly.
/// </summary>
public sealed class OperationsTimer(ServiceWatch watch, OrchestrationHistoryPurge purge, FundYearEndWatch fundYearEnd, DurableTaskClient client,
    ILogger<OperationsTimer> log) : BackgroundService
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ServiceWatch.Interval);
        var nextPurge = DateTimeOffset.MinValue;
        do
        {
            try
            {
                await watch.CheckAsync(client, stoppingToken);
                if (DateTimeOffset.UtcNow >= nextPurge)
                {
                    await purge.PurgeAsync(client, stoppingToken);
                    await fundYearEnd.CheckAsync(stoppingToken);
                    nextPurge = DateTimeOffset.UtcNow + PurgeEvery;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Service watch, history purge or fund year check failed; retrying at the next tick");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
