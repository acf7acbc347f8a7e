using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Ecss;
using Workflows.Http;
using Workflows.Staff;
using Workflows.LocalHost;
using Workflows.Tests.Fixtures;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// How many cases one machine carries: N crisis cases driven through their whole story as fast as the engine
/// takes them, a bounded number in flight, each step sent as soon as the previous one is seen in storage.
/// <see cref="CasePath.Ecss"/> is the full crisis path (an HCA found by SMS, a visit, a package);
/// <see cref="CasePath.Advice"/> the cheapest case (advice by phone, closed).
/// </summary>
public static partial class CaseThroughput
{
    public sealed record Result(string Engine, string Path, int Cases, int InFlight, int Failed, double Seconds,
        double CasesPerSecond, int WorkItems, int Episodes, int Activities, double WorkItemsPerSecond, double WorkItemsPerCase,
        double HostCpuMsPerWorkItem, double AzuriteCpuMsPerWorkItem, IReadOnlyDictionary<string, double> StorageRequestsPerWorkItem,
        Latency? DispatchLatency, double? OffersPerCase, int? HcasOnShift,
        IReadOnlyDictionary<string, Latency> Steps, IReadOnlyList<string> Failures, double[] LoadAverageBefore);

    [GeneratedRegex(@"Reply YES (\w+)")]
    private static partial Regex OfferCode();

    public static async Task<Result> RunAsync(BenchHost host, string engine, CasePath path, int cases, int inFlight, TimeSpan caseTimeout, CancellationToken ct)
    {
        await using var watcher = new CaseWatcher(host.DataAzurite.ConnectionString);
        var steps = new ConcurrentDictionary<string, ConcurrentBag<TimeSpan>>();
        var failures = new ConcurrentQueue<string>();
        var caseIds = new ConcurrentBag<string>();
        var offers = 0;
        var run = Guid.NewGuid().ToString("N")[..8];
        var load = Machine.LoadAverage();
        var hcaByPhone = path == CasePath.Ecss ? await RosterHcasAsync(host, inFlight) : [];

        var work = host.App.Engine.WorkItems;
        var (episodesBefore, activitiesBefore) = (work.Episodes, work.Activities);
        using var requests = await StorageRequests.StartAsync(host.App.Engine, ct);
        int[] hostProcesses = [Environment.ProcessId, host.App.Engine.ProcessId];
        var (hostCpu, azuriteCpu) = (CpuTime.Of(hostProcesses), CpuTime.Of(host.AzuriteProcessIds));
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
        await requests.StopAsync(ct);
        hostCpu = CpuTime.Of(hostProcesses) - hostCpu;
        azuriteCpu = CpuTime.Of(host.AzuriteProcessIds) - azuriteCpu;
        const string dispatch = "4 dispatch: triage acknowledged -> first HCA offer SMS at the sink";
        return new Result(engine, path == CasePath.Ecss
                ? "call -> triage ecss -> HCA offer SMS -> YES by SMS -> visit -> package -> bridging ended, closed"
                : "call -> triage advice -> closed",
            cases, inFlight, failures.Count, Math.Round(seconds, 2),
            Math.Round(caseIds.Count / seconds, 1), episodes + activities, episodes, activities, Math.Round((episodes + activities) / seconds, 1),
            Math.Round((episodes + activities) / (double)Math.Max(1, caseIds.Count), 1),
            Math.Round(hostCpu.TotalMilliseconds / perWorkItem, 2), Math.Round(azuriteCpu.TotalMilliseconds / perWorkItem, 2),
            new Dictionary<string, double>
            {
                // Both Azurites: the task hub's and the app's data.
                ["table"] = Math.Round((requests.To(host.Azurite.TablePort) + requests.To(host.DataAzurite.TablePort) - watcher.Queries) / (double)perWorkItem, 2),
                ["queue"] = Math.Round((requests.To(host.Azurite.QueuePort) + requests.To(host.DataAzurite.QueuePort)) / (double)perWorkItem, 2),
                ["blob"] = Math.Round(requests.To(host.Azurite.BlobPort!.Value) / (double)perWorkItem, 2),
            },
            path == CasePath.Ecss ? Latency.Of(steps.GetValueOrDefault(dispatch) ?? []) : null,
            path == CasePath.Ecss ? Math.Round(offers / (double)Math.Max(1, caseIds.Count), 2) : null,
            path == CasePath.Ecss ? hcaByPhone.Count : null,
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
            await BenchHost.ExpectAsync(host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", path == CasePath.Ecss
                ? new { outcome = "ecss", notes = "Daughter exhausted; needs personal care tonight." }
                : new { outcome = "advice", notes = "Advice given by phone; family confident to manage overnight." }), 202, "triage");
            var triaged = DateTimeOffset.UtcNow;
            Record("3 triage acknowledged (POST /triage)", triaged - triageSent);

            if (path == CasePath.Advice)
            {
                var closed = await watcher.EventAsync(caseId, "closed");
                Record("4 triage acknowledged -> case closed", closed - triaged);
                Record("5 whole case: call sent -> closed", closed - sent);
                return caseId;
            }

            // The offered HCA says YES at once. Offers made in the same moment rank the same HCAs first, so a YES
            // can lose to another case's (the HCA is already attending): the dispatch then offers the next HCA.
            var assignedTask = watcher.EventAsync(caseId, "hca-assigned");
            string hcaId;
            for (var nth = 1; ; nth++)
            {
                var offer = await watcher.SmsAsync(caseId, "Reply YES", nth);
                Interlocked.Increment(ref offers);
                if (nth == 1) Record(dispatch, offer.At - triaged);
                var candidate = hcaByPhone[offer.To];
                var yesSent = DateTimeOffset.UtcNow;
                await BenchHost.ExpectAsync(host.Client.PostAsync("/api/sms/inbound", HcaReply(offer.To, $"YES {OfferCode().Match(offer.Message).Groups[1].Value}"), ct),
                    200, "YES by SMS");
                var yesAcknowledged = DateTimeOffset.UtcNow;
                Record("5 YES acknowledged (POST /api/sms/inbound)", yesAcknowledged - yesSent);
                var next = watcher.SmsAsync(caseId, "Reply YES", nth + 1);
                if (await Task.WhenAny(assignedTask, next) == assignedTask)
                {
                    Record("6 YES acknowledged -> HCA assigned", await assignedTask - yesAcknowledged);
                    hcaId = candidate;
                    break;
                }
            }

            var visitSent = DateTimeOffset.UtcNow;
            var arrived = visitSent.AddMinutes(-50);
            await BenchHost.ExpectAsync(host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/visits", "hca",
                new { arrivedAt = arrived.ToString("O"), leftAt = arrived.AddMinutes(45).ToString("O"), care = new[] { "personal-care" }, notes = "Washed and settled." },
                userId: hcaId), 201, "visit");
            Record("7 visit recorded (POST /visits)", DateTimeOffset.UtcNow - visitSent);

            var packageSent = DateTimeOffset.UtcNow;
            await BenchHost.ExpectAsync(host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/package", "coordinator",
                new { provider = "Peak Home Care", startsAt = packageSent.ToString("O") }), 202, "package");
            var packaged = DateTimeOffset.UtcNow;
            Record("8 package acknowledged (POST /package)", packaged - packageSent);

            var ended = await watcher.EventAsync(caseId, "bridging-ended");
            Record("9 package acknowledged -> bridging ended", ended - packaged);
            var done = await watcher.EventAsync(caseId, "closed");
            Record("10 whole case: call sent -> closed", done - sent);
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

    /// <summary>
    /// Puts twice as many HCAs as cases in flight on this shift and the next, so the roster never runs dry (a round
    /// nobody fills waits the retry interval) and what is measured is the engine. Returns them by phone.
    /// </summary>
    private static async Task<Dictionary<string, string>> RosterHcasAsync(BenchHost host, int inFlight)
    {
        // Ofcom's drama range +447700900000-999: 600 numbers from 400 up.
        var count = Math.Min(2 * inFlight, 600);
        string[] districts = ["DE22", "DE23", "DE56", "S40", "S41", "S42", "SK17", "DE4", "DE11"];
        var roster = host.App.Services.GetRequiredService<Roster>();
        var directory = host.App.Services.GetRequiredService<StaffDirectory>();
        var hcas = Enumerable.Range(0, count)
            .Select(i => new Hca($"bench-hca-{i:D3}", $"Bench HCA {i}", $"+447700900{400 + i:D3}", districts[i % districts.Length])).ToList();
        foreach (var hca in hcas)
        {
            await StaffRecords.EnsureAsync(directory, hca.Id, Roles.Hca, hca.Name, hca.Phone);
            await roster.PutInPoolAsync(new PoolPlace(hca.Id, hca.HomeDistrict), new Workflows.Audit.Actor("bench", "benchmark"));
        }
        var now = Shift.At(DateTimeOffset.UtcNow);
        foreach (var shift in new[] { now, now.Next })
            await roster.SetShiftAsync(shift, hcas.Select(h => h.Id).ToList(), "bench", DateTimeOffset.UtcNow);
        return hcas.ToDictionary(h => h.Phone, h => h.Id);
    }

    /// <summary>An HCA's text reply as ACS delivers it: an Event Grid SMSReceived event to POST /api/sms/inbound.</summary>
    private static StringContent HcaReply(string phone, string text) => new(SmsReceivedEvent.From(phone, text), Encoding.UTF8, "application/json");
}

/// <summary>Which story the cases of a throughput run follow.</summary>
public enum CasePath { Ecss, Advice }
