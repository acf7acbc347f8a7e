using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflows.LocalHost;
using Workflows.Tests.Fixtures;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// The local durable engine on its own, the way the published Durable Functions figures are measured: N plain
/// orchestrations that each call 3 activities in turn (4 episodes + 3 activities = 7 work items), all started at
/// once, with no app code, HTTP or app tables in the way. The engine is configured exactly as the local host
/// configures it, so what is tuned here is what runs cases.
/// </summary>
public static class EngineThroughput
{
    public sealed record Result(string Engine, int Orchestrations, int Completed, double Seconds, double StartSeconds,
        int WorkItems, double WorkItemsPerSecond, double OrchestrationsPerSecond, double HostCpuMsPerWorkItem,
        double AzuriteCpuMsPerWorkItem, IReadOnlyDictionary<string, double> AzuriteCpuMsPerWorkItemByService,
        IReadOnlyDictionary<string, double> StorageRequestsPerWorkItem,
        IReadOnlyDictionary<string, string?> Settings);

    private const int WorkItemsEach = 7;

    public static async Task<Result> RunAsync(int orchestrations, IReadOnlyDictionary<string, string?> overrides, CancellationToken ct)
    {
        await using var azurite = await Azurite.StartAsync(background: true);
        try
        {
            var settings = new EngineSettings { TaskHubName = "engine" + Guid.NewGuid().ToString("N")[..8] };
            settings.WorkerId = settings.TaskHubName;
            new ConfigurationBuilder().AddInMemoryCollection(overrides).Build()
                .GetSection("LocalHost").Bind(settings);
            await using var engine = await LocalDurableEngine.StartAsync(azurite.ConnectionString, settings, ct);

            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            engine.AddClientAndWorker(builder.Services, r =>
            {
                r.AddOrchestratorFunc<int, int>("Chain", async (context, n) =>
                {
                    for (var i = 0; i < 3; i++) n = await context.CallActivityAsync<int>("Step", n);
                    return n;
                });
                r.AddActivityFunc<int, int>("Step", (_, n) => n + 1);
            });
            using var host = builder.Build();
            await host.StartAsync(ct);
            var client = host.Services.GetRequiredService<DurableTaskClient>();

            var work = engine.WorkItems;
            using var requests = await StorageRequests.StartAsync(engine, ct);
            int[] hostProcesses = [Environment.ProcessId, engine.ProcessId];
            var (hostCpu, azuriteCpu) = (CpuTime.Of(hostProcesses), CpuTime.Of(azurite.ProcessIds));
            var byService = azurite.ProcessIds.Select(CpuTime.Of).ToArray();
            var started = DateTimeOffset.UtcNow;
            var run = Guid.NewGuid().ToString("N")[..6];
            var ids = new string[orchestrations];
            using (var gate = new SemaphoreSlim(32))
                await Task.WhenAll(Enumerable.Range(0, orchestrations).Select(async i =>
                {
                    await gate.WaitAsync(ct);
                    try
                    {
                        ids[i] = await client.ScheduleNewOrchestrationInstanceAsync("Chain", 0,
                            new StartOrchestrationOptions($"chain-{run}-{i:D6}"), ct);
                    }
                    finally { gate.Release(); }
                }));
            var allStarted = DateTimeOffset.UtcNow;

            // Done when every work item has completed, or nothing has completed for 10 s (then some did not finish).
            var expected = orchestrations * WorkItemsEach;
            while (work.Total < expected && DateTimeOffset.UtcNow - (work.LastCompletedAt ?? started) < TimeSpan.FromSeconds(10))
                await Task.Delay(20, ct);
            var finished = work.LastCompletedAt ?? DateTimeOffset.UtcNow;
            await requests.StopAsync(ct);
            hostCpu = CpuTime.Of(hostProcesses) - hostCpu;
            azuriteCpu = CpuTime.Of(azurite.ProcessIds) - azuriteCpu;
            byService = azurite.ProcessIds.Select((id, i) => CpuTime.Of(id) - byService[i]).ToArray();
            var workItems = (int)work.Total;
            var perWorkItem = Math.Max(1, workItems);
            var storage = new Dictionary<string, double>
            {
                ["table"] = Math.Round(requests.To(azurite.TablePort) / (double)perWorkItem, 2),
                ["queue"] = Math.Round(requests.To(azurite.QueuePort) / (double)perWorkItem, 2),
                ["blob"] = Math.Round(requests.To(azurite.BlobPort!.Value) / (double)perWorkItem, 2),
            };

            var completed = 0;
            foreach (var id in ids)
                if ((await client.GetInstanceAsync(id, getInputsAndOutputs: false, ct))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed)
                    completed++;
            await host.StopAsync(CancellationToken.None);

            var seconds = (finished - started).TotalSeconds;
            return new Result(settings.Engine, orchestrations, completed, Math.Round(seconds, 2), Math.Round((allStarted - started).TotalSeconds, 2),
                workItems, Math.Round(workItems / seconds, 1), Math.Round(completed / seconds, 1),
                Math.Round(hostCpu.TotalMilliseconds / perWorkItem, 2), Math.Round(azuriteCpu.TotalMilliseconds / perWorkItem, 2),
                new[] { "blob", "queue", "table" }.Select((name, i) => (name, ms: Math.Round(byService[i].TotalMilliseconds / perWorkItem, 2)))
                    .ToDictionary(x => x.name, x => x.ms),
                storage, overrides);
        }
        finally
        {
            try { Directory.Delete(azurite.Location, recursive: true); } catch (IOException) { }
        }
    }
}
