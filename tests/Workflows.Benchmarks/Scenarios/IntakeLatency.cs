using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Workflows.CrisisCare;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// How fast 111 hears "we have it": signed calls at a fixed rate, open loop (each send is due by the clock,
/// whether or not earlier ones have been answered), each with a new call id. Latency is counted from when a
/// call was due, so a stalled host shows up as latency rather than as a slower sender. The same schedule starts with
/// a warm-up at the same rate whose latencies are reported apart: a new host's first second (code compiled on first
/// use, connection pools growing to the rate) is not the rate's steady state. 111 is answered once the case
/// row and its case-starts message are written; the step then waits (up to <c>drainLimit</c>) until the local host
/// has taken every message and asked the engine to start each case, and reports how long that took.
/// </summary>
public static class IntakeLatency
{
    public sealed record Step(int RequestsPerSecond, double Seconds, int Sent, int Accepted, int Errors,
        IReadOnlyDictionary<string, int> ErrorKinds, double AchievedPerSecond, Latency Acknowledgement, Latency WarmUp,
        double? AllStartedSecondsAfterLastCall, int StartsWaitingAtEnd, double[] LoadAverageBefore);

    public static async Task<Step> RunAsync(BenchHost host, int rate, TimeSpan duration, TimeSpan warmUp, TimeSpan drainLimit, CancellationToken ct)
    {
        var warming = (int)(rate * warmUp.TotalSeconds);
        var total = warming + (int)(rate * duration.TotalSeconds);
        var run = Guid.NewGuid().ToString("N")[..8];
        // Bodies made before the clock starts, so the sender only signs and sends.
        var bodies = Enumerable.Range(0, total).Select(i => BenchHost.CallBody($"111-bench-{run}-{i:D6}")).ToArray();
        var latencies = new TimeSpan[total];
        var outcomes = new string?[total];
        var load = Machine.LoadAverage();

        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, ct);
            inFlight.Add(SendAsync(i, due));
        }
        await Task.WhenAll(inFlight);
        var elapsed = clock.Elapsed;

        var starts = host.App.Services.GetRequiredService<CaseStartQueue>().Queue;
        var waiting = (await starts.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        while (waiting > 0 && clock.Elapsed - elapsed < drainLimit)
        {
            await Task.Delay(250, ct);
            waiting = (await starts.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        }
        double? drained = waiting == 0 ? Math.Round((clock.Elapsed - elapsed).TotalSeconds, 1) : null;

        var errors = outcomes.Where(o => o is not null).GroupBy(o => o!).ToDictionary(g => g.Key, g => g.Count());
        Latency Acknowledged(Range calls)
        {
            var (from, count) = calls.GetOffsetAndLength(total);
            return Latency.Of(Enumerable.Range(from, count).Where(i => outcomes[i] is null).Select(i => latencies[i]));
        }
        return new Step(rate, Math.Round(duration.TotalSeconds, 1), total, total - errors.Values.Sum(), errors.Values.Sum(), errors,
            Math.Round(total / elapsed.TotalSeconds, 1), Acknowledged(warming..), Acknowledged(..warming), drained, waiting, load);

        async Task SendAsync(int i, TimeSpan due)
        {
            try
            {
                using var response = await host.Client.SendAsync(BenchHost.SignedCall(bodies[i]), ct);
                latencies[i] = clock.Elapsed - due;
                if ((int)response.StatusCode != 202) outcomes[i] = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcomes[i] = e.GetType().Name;
            }
        }
    }
}
