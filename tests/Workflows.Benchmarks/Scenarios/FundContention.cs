using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Workflows.DistrictDirect;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// Many managers approving spend against one fund at once: every approval is an ETag-guarded write of the same
/// fund row, so they race. Counts approvals per second, the races lost (the ledger's meter), and checks that the
/// fund committed exactly what was approved (no lost update).
/// </summary>
public static class FundContention
{
    public sealed record Result(int Approvals, int Callers, long AmountPence, int Approved, int Errors, double Seconds,
        double ApprovalsPerSecond, long LostRaces, double LostRacesPerApproval, Latency Approval,
        long CommittedBeforePence, long CommittedAfterPence, bool FundBalances, IReadOnlyList<string> Failures, double[] LoadAverageBefore);

    private const int SpendPerReferral = 20;

    public static async Task<Result> RunAsync(BenchHost host, int approvals, int callers, CancellationToken ct)
    {
        const long amount = 100;
        var spend = new List<string>();
        var referrals = (approvals + SpendPerReferral - 1) / SpendPerReferral;
        for (var i = 0; i < referrals; i++)
        {
            var items = Math.Min(SpendPerReferral, approvals - spend.Count);
            var referralId = $"RDH-{Guid.NewGuid():N}"[..20];
            await BenchHost.ExpectAsync(host.Client.PostAsync("/api/district-direct/referrals", Json(Referral(referralId)), ct), 202, "referral");
            var assessed = await BenchHost.ExpectAsync(host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referralId}/assessment",
                "dd-officer", new
                {
                    findings = "Clutter on the stairs; a key safe is needed for carers.",
                    spend = Enumerable.Range(1, items).Select(n => new { item = $"Works {n}", amountPence = amount, supplier = "Derby Builders" }),
                }), 201, "assessment");
            spend.AddRange(assessed["spendRequests"]!.AsArray().Select(s => s!["spendRequestId"]!.GetValue<string>()));
        }
        var before = await FundAsync(host);

        long lostRaces = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == FundLedger.Meter) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref lostRaces, value));
        listener.Start();

        var load = Machine.LoadAverage();
        var queue = new ConcurrentQueue<string>(spend);
        var latencies = new ConcurrentBag<TimeSpan>();
        var failures = new ConcurrentQueue<string>();
        var approved = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
        {
            while (queue.TryDequeue(out var id))
            {
                var sent = clock.Elapsed;
                using var r = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{id}/decision", "dd-manager",
                    new { decision = "approve" }, userId: $"dd-manager-{caller}");
                latencies.Add(clock.Elapsed - sent);
                if ((int)r.StatusCode == 200) Interlocked.Increment(ref approved);
                else failures.Enqueue($"{id}: HTTP {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        listener.Dispose();

        var after = await FundAsync(host);
        var balances = after.Committed == before.Committed + approved * amount;
        return new Result(spend.Count, callers, amount, approved, failures.Count, Math.Round(seconds, 2), Math.Round(approved / seconds, 1),
            lostRaces, Math.Round(lostRaces / (double)Math.Max(1, approved), 2), Latency.Of(latencies),
            before.Committed, after.Committed, balances, failures.Take(5).ToList(), load);
    }

    private static async Task<(long Committed, long Available)> FundAsync(BenchHost host)
    {
        var fund = await BenchHost.ExpectAsync(host.SendAsStaffAsync(HttpMethod.Get, "/api/district-direct/fund", "reporting"), 200, "fund");
        return (fund["committedPence"]!.GetValue<long>(), fund["availablePence"]!.GetValue<long>());
    }

    private static JsonObject Referral(string referralId) => new()
    {
        ["referralId"] = referralId,
        ["source"] = "ward",
        ["hospital"] = "royal-derby",
        ["patient"] = new JsonObject
        {
            ["nhsNumber"] = "9434765919", ["name"] = "Edith Turner", ["dateOfBirth"] = "1938-06-14",
            ["address"] = "12 Station Road, Mickleover, Derby", ["postcode"] = "DE22 3NE",
        },
        ["blockers"] = new JsonArray("clutter", "key-safe"),
        ["fitForDischargeAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:sszzz"),
    };

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
