using NodaTime;
using Workflows.Reporting;

namespace Workflows.Tests.Reporting;

public sealed class ReportPeriodTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DaysAreUkDaysBothIncludedAcrossTheClockChange()
    {
        var (period, _) = ReportPeriod.Parse("2026-03-29", "2026-03-29", Now);

        // 29 March 2026 is the spring-forward Sunday: midnight GMT to midnight BST is 23 hours.
        period!.Start.Should().Be(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.Zero));
        period.End.Should().Be(new DateTimeOffset(2026, 3, 29, 23, 0, 0, TimeSpan.Zero));
        period.Contains(new DateTimeOffset(2026, 3, 29, 22, 59, 59, TimeSpan.Zero)).Should().BeTrue();
        period.Contains(new DateTimeOffset(2026, 3, 29, 23, 0, 0, TimeSpan.Zero)).Should().BeFalse();
    }

    [Fact]
    public void WithoutDatesItIsTheLast28DaysToToday()
    {
        var (period, errors) = ReportPeriod.Parse(null, null, Now);

        errors.Should().BeEmpty();
        period.Should().Be(new ReportPeriod(new LocalDate(2026, 10, 28), new LocalDate(2026, 11, 24)));
    }

    [Theory]
    [InlineData("24/11/2026", "2026-11-30", "from")]
    [InlineData("2026-11-30", "2026-11-01", "from")]
    [InlineData("2020-01-01", "2026-11-01", "to")]
    public void BadRangesAreRefusedPerField(string from, string to, string field)
    {
        var (period, errors) = ReportPeriod.Parse(from, to, Now);

        period.Should().BeNull();
        errors.Should().ContainKey(field);
    }
}
