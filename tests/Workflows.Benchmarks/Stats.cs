namespace Workflows.Benchmarks;

/// <summary>Percentiles of a set of durations, in milliseconds.</summary>
public sealed record Latency(int Count, double P50, double P95, double P99, double Max)
{
    public static Latency Of(IEnumerable<TimeSpan> samples)
    {
        var ms = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        if (ms.Length == 0) return new Latency(0, 0, 0, 0, 0);
        return new Latency(ms.Length, At(ms, 0.50), At(ms, 0.95), At(ms, 0.99), ms[^1]);
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double At(double[] sorted, double p) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);

    public override string ToString() => $"p50 {P50:0.0} ms, p95 {P95:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms (n={Count})";
}

/// <summary>The machine a run took place on, and how busy it was: others share these cores.</summary>
public static class Machine
{
    public static object Describe() => new
    {
        cores = Environment.ProcessorCount,
        memoryGiB = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        dotnet = Environment.Version.ToString(),
    };

    /// <summary>The 1, 5 and 15 minute load averages (as `uptime` prints them).</summary>
    public static double[] LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3)
                .Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException) { return []; }
    }
}

/// <summary>CPU time a process has used: what a scenario costs, which a busy machine disturbs far less than wall time.</summary>
public static class CpuTime
{
    public static TimeSpan Of(IEnumerable<int> processIds) =>
        processIds.Aggregate(TimeSpan.Zero, (sum, id) => sum + Of(id));

    public static TimeSpan Of(int processId)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(processId);
            return p.TotalProcessorTime;
        }
        catch (ArgumentException) { return TimeSpan.Zero; }
    }
}
