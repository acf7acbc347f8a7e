using NodaTime;
using Workflows.Reporting;

namespace Workflows.Tests.Reporting;

public sealed class PilotReportTableTests
{
    private static PilotReport Report(FundPosition? fund = null)
    {
        var at = new DateTimeOffset(2026, 11, 10, 21, 0, 0, TimeSpan.Zero);
        return PilotReportBuilder.Build(new ReportPeriod(new LocalDate(2026, 11, 1), new LocalDate(2026, 11, 30)),
            [new CaseFacts("a", at, "family", "closed", "advice", at.AddMinutes(12.5), "advice", at.AddMinutes(13))],
            [], fund, at.AddDays(30));
    }

    [Fact]
    public void CsvHasAHeaderAndOneLinePerRow()
    {
        var report = Report();
        var lines = PilotReportTable.Csv(report).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        lines[0].Should().Be("section,measure,value,unit,key,from,to");
        lines.Should().HaveCount(PilotReportTable.Rows(report).Count + 1);
        lines.Should().Contain("Crisis care (SPOC and ECSS),Time from call to triage: median,12.5,minutes,crisisCare.callToTriageMinutes.median,2026-11-01,2026-11-30");
    }

    [Fact]
    public void NoDataIsAnEmptyCellNotZero() =>
        PilotReportTable.Rows(Report()).Single(r => r.Key == "crisisCare.referralToHcaAcceptedMinutes.median").Value.Should().BeEmpty();

    [Fact]
    public void FundRowsAppearOnlyWhenTheFundIsKnown()
    {
        PilotReportTable.Rows(Report()).Should().NotContain(r => r.Key.StartsWith("districtDirect.fund."));
        PilotReportTable.Rows(Report(new FundPosition("2026-27", 10, 2, 3, 5, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))))
            .Single(r => r.Key == "districtDirect.fund.availablePence").Value.Should().Be("5");
    }

    [Fact]
    public void CellsWithCommasAndQuotesAreQuoted() =>
        PilotReportTable.Csv(Report(new FundPosition("2026,\"27\"", 10, 2, 3, 5, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))))
            .Should().Contain("\"Fund 2026,\"\"27\"\" on 2026-11-30: total\"");

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("-x", "'-x")]
    public void CellsThatASpreadsheetWouldRunAreDefused(string value, string cell) =>
        PilotReportTable.Cell(value).Should().Be(cell);
}
