namespace Workflows.Reporting;

/// <summary>
/// How a set of durations spreads: how many, the median and the 90th percentile.
/// Rules, written down so the board can check them:
/// - median: sort the values; the middle one, or the mean of the two middle ones when the count is even;
/// - 90th percentile: nearest rank: sort ascending, take the value at rank ceil(0.9 × n) (1-based),
///   so it is always a value that was observed and at least 90% of values are at or below it;
/// - no values: both are null (shown as "no data", never as 0).
/// Values are rounded to one decimal place after the rule is applied.
/// </summary>
public sealed record Distribution(int Count, double? Median, double? P90)
{
    public static readonly Distribution Empty = new(0, null, null);

    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return Empty;
        return new Distribution(sorted.Length, Round(MedianOf(sorted)), Round(NearestRankOf(sorted, 90)));
    }

    /// <summary>The median of values already sorted ascending.</summary>
    public static double MedianOf(IReadOnlyList<double> sorted)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The nearest-rank percentile (1..100) of values already sorted ascending.</summary>
    public static double NearestRankOf(IReadOnlyList<double> sorted, int percent)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        // ceil(percent × n / 100) in integers: 0.9 × 30 in floating point is 27.000000000000004.
        var rank = (percent * sorted.Count + 99) / 100;
        return sorted[rank - 1];
    }

    private static double Round(double v) => Math.Round(v, 1, MidpointRounding.AwayFromZero);
}
