using Workflows.DistrictDirect;

namespace Workflows.Tests.DistrictDirect;

public sealed class WorkingDayTests
{
    [Theory]
    [InlineData("2026-07-01T10:00:00+00:00", "2026-07-01T16:00:00+00:00")] // 11:00 BST: today's 17:00 BST
    [InlineData("2026-12-01T10:00:00+00:00", "2026-12-01T17:00:00+00:00")] // GMT
    [InlineData("2026-12-01T17:30:00+00:00", "2026-12-02T17:00:00+00:00")] // after hours: tomorrow's
    [InlineData("2026-03-28T18:00:00+00:00", "2026-03-29T16:00:00+00:00")] // the clocks go forward overnight
    public void WorkingDayEndsAtFivePmUkTime(string at, string expected) =>
        WorkingDay.EndAfter(DateTimeOffset.Parse(at), "17:00").Should().Be(DateTimeOffset.Parse(expected));

    [Theory]
    [InlineData("2026-04-01T09:00:00+01:00", "2026-27")]
    [InlineData("2027-03-31T23:30:00+01:00", "2026-27")]
    [InlineData("2026-03-31T23:30:00+00:00", "2026-27")] // 00:30 BST on 1 April
    [InlineData("2026-03-31T23:30:00+01:00", "2025-26")]
    public void FundYearRunsAprilToMarch(string at, string year) => FundYear.Of(DateTimeOffset.Parse(at)).Should().Be(year);

    [Theory]
    [InlineData("2026-11-20T10:00:00+00:00", "2026-11-22T15:00:00+00:00", 10, 8, 2)]
    [InlineData("2026-11-01T10:00:00+00:00", "2026-11-20T15:00:00+00:00", 10, 0, 19)] // later than the usual delay: no saving, never negative
    [InlineData("2026-11-20T10:00:00+00:00", "2026-11-20T18:00:00+00:00", 10, 10, 0)]
    public void BedDaysSavedAreTheAverageDelayLessTheDaysTaken(string fit, string discharged, int delay, int saved, int dtoc) =>
        DischargeOutcome.For(DateTimeOffset.Parse(fit), DateTimeOffset.Parse(discharged), delay).Should().Be(new DischargeOutcome(saved, dtoc));

    [Theory]
    [InlineData("County-wide", "DE22", true)]
    [InlineData("DE1, DE3, DE21-DE24", "DE22", true)]
    [InlineData("DE1, DE3, DE21-DE24", "DE2", false)]
    [InlineData("SK17, S40-S45", "S41", true)]
    [InlineData("SK17, S40-S45", "SK22", false)]
    public void DirectoryAreasCoverPostcodeDistricts(string area, string district, bool covers) =>
        Workflows.CareDirectory.ServiceArea.Covers(area, district).Should().Be(covers);

    [Theory]
    [InlineData("County-wide", true)]
    [InlineData("DE1, DE3, DE21-DE24", true)]
    [InlineData("SK17, S40-S45", true)]
    [InlineData("Derby", false)]
    [InlineData("DE21-S24", false)]
    [InlineData("DE24-DE21", false)]
    [InlineData("DE22 3NE", false)]
    [InlineData(",", false)]
    public void OnlyAreasTheDirectoryCanMatchAreValid(string area, bool valid) =>
        Workflows.CareDirectory.ServiceArea.IsValid(area).Should().Be(valid);
}
