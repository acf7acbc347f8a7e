using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Storage;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// Every staff read route timed on a store holding only the records it reads, then again once a year of service is
/// loaded beside them (<see cref="YearOfHistory"/>), in one run on one host: a route whose cost grows with history shows
/// as a ratio above 1.
/// </summary>
public static class HistoryReads
{
    public sealed record Route(string Name, string Path, string Role, string? UserId = null);

    public sealed record RouteResult(string Route, Latency Empty, Latency Year, double P50Ratio, double P95Ratio);

    public sealed record Result(YearOfHistory.Loaded Loaded, double UpgradeSeconds, int Samples, IReadOnlyList<RouteResult> Routes, double[] LoadAverageBefore, double[] LoadAverageAfter);

    private const string Hca = "bench-hca-today";

    public static async Task<Result> RunAsync(BenchHost host, int cases, int samples, CancellationToken ct)
    {
        var loadBefore = Machine.LoadAverage();
        var now = DateTimeOffset.UtcNow;
        var year = new YearOfHistory(host.App.Services.GetRequiredService<TableStore>(), cases, now);
        var (caseId, referralId) = await year.LoadOpenAsync(Hca, ct);
        await UpgradeAsync(host, ct);
        var today = Workflows.DistrictDirect.WorkingDay.DateOf(now);
        string Date(NodaTime.LocalDate d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Route[] routes =
        [
            new("triage queue", "/api/triage/queue", "anp"),
            new("open cases", "/api/cases", "coordinator"),
            new("case", $"/api/cases/{caseId}", "anp"),
            new("case texts", $"/api/cases/{caseId}/messages", "anp"),
            new("HCA today", "/api/ecss/my-cases", "hca", Hca),
            new("referrals to work", "/api/district-direct/referrals", "dd-officer"),
            new("referrals awaiting discharge", "/api/district-direct/referrals?status=awaiting-discharge", "dd-officer"),
            new("referral", $"/api/district-direct/referrals/{referralId}", "dd-officer"),
            new("fund", "/api/district-direct/fund", "dd-manager"),
            new("pilot report, a day", $"/api/reports/pilot?from={Date(today)}&to={Date(today)}", "reporting"),
            new("pilot report, a month", $"/api/reports/pilot?from={Date(today.PlusDays(-29))}&to={Date(today)}", "reporting"),
            new("pilot report, a year", $"/api/reports/pilot?from={Date(today.PlusDays(-364))}&to={Date(today)}", "reporting"),
        ];

        // A pass untimed first: a new host's first calls (code compiled on first use, its start-up work) are not the empty store's cost.
        await MeasureAsync(host, routes, Math.Min(samples, 5), ct);
        var empty = await MeasureAsync(host, routes, samples, ct);
        Console.WriteLine($"   loading a year: {cases} cases, {year.Texts} texts, {year.Offers} offers, {year.Referrals} referrals ...");
        var loaded = await year.LoadAsync(ct);
        var upgrade = await UpgradeAsync(host, ct);
        Console.WriteLine($"   loaded in {loaded.Seconds} s ({loaded.RowsPerSecond} rows/s); the one-off store upgrades over it took {upgrade} s");
        var full = await MeasureAsync(host, routes, samples, ct);

        var results = routes.Select((r, i) => new RouteResult(r.Name, empty[i], full[i],
            Ratio(full[i].P50, empty[i].P50), Ratio(full[i].P95, empty[i].P95))).ToList();
        foreach (var r in results)
            Console.WriteLine($"   {r.Route,-30} empty p50 {r.Empty.P50,7:0.0} p95 {r.Empty.P95,7:0.0} ms | year p50 {r.Year.P50,7:0.0} p95 {r.Year.P95,7:0.0} ms | x{r.P50Ratio} / x{r.P95Ratio}");
        return new Result(loaded, upgrade, samples, results, loadBefore, Machine.LoadAverage());
    }

    /// <summary>
    /// The rows are written as the stores wrote them before their indices, as a store in service holds them: the one-off
    /// upgrades (docs/deploy.md, "Store upgrades") index them, as they would an upgraded store's. Seconds taken.
    /// </summary>
    private static async Task<double> UpgradeAsync(BenchHost host, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        foreach (var upgrade in host.App.Services.GetServices<StoreUpgrade>()) await upgrade.RunAsync(ct);
        return Math.Round(clock.Elapsed.TotalSeconds, 1);
    }

    /// <summary>Each route in turn, one call at a time (two first, untimed, to warm it), as a page refreshing would.</summary>
    private static async Task<Latency[]> MeasureAsync(BenchHost host, Route[] routes, int samples, CancellationToken ct)
    {
        var results = new Latency[routes.Length];
        for (var i = 0; i < routes.Length; i++)
        {
            var r = routes[i];
            var times = new List<TimeSpan>();
            for (var n = -2; n < samples; n++)
            {
                ct.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                await BenchHost.ExpectAsync(host.SendAsStaffAsync(HttpMethod.Get, r.Path, r.Role, userId: r.UserId), 200, r.Name);
                if (n >= 0) times.Add(clock.Elapsed);
            }
            results[i] = Latency.Of(times);
        }
        return results;
    }

    private static double Ratio(double year, double empty) => empty > 0 ? Math.Round(year / empty, 2) : 0;
}
