using System.Collections.Concurrent;
using Workflows.LocalHost;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// How many cases one machine carries: N crisis cases driven through their whole story as fast as the engine
/// takes them, a bounded number in flight, each step sent as soon as the previous one is seen in storage.
/// </summary>
public static class CaseThroughput
{
    public sealed record Result(string Engine, string Path, int Cases, int InFlight, int Failed, double Seconds,
        double CasesPerSecond, int WorkItems, int Episodes, int Activities, double WorkItemsPerSecond,
        double HostCpuMsPerWorkItem, double AzuriteCpuMsPerWorkItem, IReadOnlyDictionary<string, double> StorageRequestsPerWorkItem,
        IReadOnlyDictionary<string, Latency> Steps, IReadOnlyList<string> Failures, double[] LoadAverageBefore);

    public static async Task<Result> RunAsync(BenchHost host, string engine, int cases, int inFlight, TimeSpan caseTimeout, CancellationToken ct)
    {
        await using var watcher = new CaseWatcher(host.Azurite.ConnectionString);
        var steps = new ConcurrentDictionary<string, ConcurrentBag<TimeSpan>>();
        var failures = new ConcurrentQueue<string>();
        var caseIds = new ConcurrentBag<string>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var load = Machine.LoadAverage();

        var work = host.App.Engine.WorkItems;
        var (episodesBefore, activitiesBefore) = (work.Episodes, work.Activities);
        using var requests = new StorageRequests();
        var (hostCpu, azuriteCpu) = (CpuTime.Of(Environment.ProcessId), CpuTime.Of(host.Azurite.ProcessId));
        var started = DateTimeOffset.UtcNow;
        using var gate = new SemaphoreSlim(inFlight);
        var all = Enumerable.Range(0, cases).Select(async i =>
        {
            await gate.WaitAsync(ct);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(caseTimeout);
                caseIds.Add(await DriveAsync($"111-bench-{run}-{i:D6}").WaitAsync(timeout.Token));
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or HttpRequestException)
            {
                failures.Enqueue(e is OperationCanceledException ? $"case {i} did not finish within {caseTimeout.TotalSeconds} s" : e.Message);
            }
            finally { gate.Release(); }
        }).ToList();
        await Task.WhenAll(all);
        // A case's last timeline row is written by its last activity; the run ends when the engine has also
        // recorded that and finished the orchestration, i.e. when work items stop completing.
        var finished = await SettledAsync(work);
        var seconds = (finished - started).TotalSeconds;
        var (episodes, activities) = ((int)(work.Episodes - episodesBefore), (int)(work.Activities - activitiesBefore));
        var perWorkItem = Math.Max(1, episodes + activities);
        hostCpu = CpuTime.Of(Environment.ProcessId) - hostCpu;
        azuriteCpu = CpuTime.Of(host.Azurite.ProcessId) - azuriteCpu;
        return new Result(engine, "call -> triage advice -> closed", cases, inFlight, failures.Count, Math.Round(seconds, 2),
            Math.Round(caseIds.Count / seconds, 1), episodes + activities, episodes, activities, Math.Round((episodes + activities) / seconds, 1),
            Math.Round(hostCpu.TotalMilliseconds / perWorkItem, 2), Math.Round(azuriteCpu.TotalMilliseconds / perWorkItem, 2),
            new Dictionary<string, double>
            {
                ["table"] = Math.Round((requests.To(host.Azurite.TablePort) - watcher.Queries) / (double)perWorkItem, 2),
                ["queue"] = Math.Round(requests.To(host.Azurite.QueuePort) / (double)perWorkItem, 2),
                ["blob"] = Math.Round(requests.To(host.Azurite.BlobPort) / (double)perWorkItem, 2),
            },
            new SortedDictionary<string, Latency>(steps.ToDictionary(s => s.Key, s => Latency.Of(s.Value)), StringComparer.Ordinal), failures.Take(5).ToList(), load);

        async Task<string> DriveAsync(string callId)
        {
            var sent = DateTimeOffset.UtcNow;
            var accepted = await BenchHost.ExpectAsync(host.Client.SendAsync(BenchHost.SignedCall(BenchHost.CallBody(callId)), ct), 202, "111 call");
            var acknowledged = DateTimeOffset.UtcNow;
            Record("1 call acknowledged (POST /api/intake/111)", acknowledged - sent);
            var caseId = accepted["caseId"]!.GetValue<string>();

            var opened = await watcher.EventAsync(caseId, "case-opened");
            Record("2 acknowledged -> case opened (OpenCase done)", opened - acknowledged);

            var triageSent = DateTimeOffset.UtcNow;
            await BenchHost.ExpectAsync(host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
                new { outcome = "advice", notes = "Advice given by phone; family confident to manage overnight." }), 202, "triage");
            var triaged = DateTimeOffset.UtcNow;
            Record("3 triage acknowledged (POST /triage)", triaged - triageSent);

            var closed = await watcher.EventAsync(caseId, "closed");
            Record("4 triage acknowledged -> case closed", closed - triaged);
            Record("5 whole case: call sent -> closed", closed - sent);
            return caseId;
        }

        static async Task<DateTimeOffset> SettledAsync(EngineWorkItems work)
        {
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            while (DateTimeOffset.UtcNow < deadline && DateTimeOffset.UtcNow - work.LastCompletedAt < TimeSpan.FromSeconds(1))
                await Task.Delay(100);
            return work.LastCompletedAt ?? DateTimeOffset.UtcNow;
        }

        void Record(string step, TimeSpan took) => steps.GetOrAdd(step, _ => []).Add(took);
    }
}
