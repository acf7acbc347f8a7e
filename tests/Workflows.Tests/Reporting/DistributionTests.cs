using Workflows.Reporting;

namespace Workflows.Tests.Reporting;

public sealed class DistributionTests
{
    [Fact]
    public void MedianOfAnOddCountIsTheMiddleValue() =>
        Distribution.Of([7, 1, 3]).Median.Should().Be(3);

    [Fact]
    public void MedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() =>
        Distribution.Of([10, 1, 4, 3]).Median.Should().Be(3.5);

    [Fact]
    public void NinetiethPercentileIsTheNearestRank()
    {
        // ceil(0.9 × 10) = rank 9 of 1..10.
        Distribution.Of(Enumerable.Range(1, 10).Select(i => (double)i)).P90.Should().Be(9);
        // ceil(0.9 × 11) = rank 10.
        Distribution.Of(Enumerable.Range(1, 11).Select(i => (double)i)).P90.Should().Be(10);
    }

    [Fact]
    public void NinetiethPercentileOfThirtyIsRankTwentySevenNotTwentyEight()
    {
        // 0.9 × 30 is 27.000000000000004 in floating point; the rank is computed in integers.
        Distribution.Of(Enumerable.Range(1, 30).Select(i => (double)i)).P90.Should().Be(27);
    }

    [Fact]
    public void OneValueIsBothMedianAndNinetiethPercentile() =>
        Distribution.Of([42]).Should().Be(new Distribution(1, 42, 42));

    [Fact]
    public void NoValuesIsNoDataRatherThanZero() =>
        Distribution.Of([]).Should().Be(new Distribution(0, null, null));

    [Fact]
    public void ResultsAreRoundedToOneDecimalPlace() =>
        Distribution.Of([1.24, 1.26]).Median.Should().Be(1.3);
}
