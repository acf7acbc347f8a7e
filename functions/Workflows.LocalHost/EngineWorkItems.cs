using System.Diagnostics.Metrics;

namespace Workflows.LocalHost;

/// <summary>
/// Work items the engine completed, counted as Durable Functions' throughput figures count them: orchestrator
/// episodes plus activity executions. Counted where the worker hands each result back to the engine, so both
/// engines are counted alike; also published as the meter "Workflows.LocalHost.Engine" for dotnet-counters.
/// </summary>
public sealed class EngineWorkItems
{
    private static readonly Meter Meter = new("Workflows.LocalHost.Engine");
    private static readonly Counter<long> EpisodeCounter = Meter.CreateCounter<long>("orchestrator-episodes");
    private static readonly Counter<long> ActivityCounter = Meter.CreateCounter<long>("activity-executions");

    private long _episodes;
    private long _activities;
    private long _lastCompletedTicks;

    public long Episodes => Interlocked.Read(ref _episodes);
    public long Activities => Interlocked.Read(ref _activities);
    public long Total => Episodes + Activities;
    /// <summary>When the last work item completed (UTC), or null before the first.</summary>
    public DateTimeOffset? LastCompletedAt => Interlocked.Read(ref _lastCompletedTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    private void Completed(ref long count, Counter<long> meter)
    {
        Interlocked.Increment(ref count);
        Interlocked.Exchange(ref _lastCompletedTicks, DateTimeOffset.UtcNow.UtcTicks);
        meter.Add(1);
    }

    /// <summary>
    /// On the worker's channel: a completed orchestrator or activity call is a work item done. Counted once the engine
    /// has answered, without a gRPC error in a trailers-only answer.
    /// </summary>
    public sealed class Counter(EngineWorkItems counts) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode || response.Headers.TryGetValues("grpc-status", out var status) && status.FirstOrDefault() != "0")
                return response;
            var path = request.RequestUri?.AbsolutePath ?? "";
            if (path.EndsWith("/CompleteOrchestratorTask", StringComparison.Ordinal)) counts.Completed(ref counts._episodes, EpisodeCounter);
            else if (path.EndsWith("/CompleteActivityTask", StringComparison.Ordinal)) counts.Completed(ref counts._activities, ActivityCounter);
            return response;
        }
    }
}
