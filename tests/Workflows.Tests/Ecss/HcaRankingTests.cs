using Workflows.Ecss;

namespace Workflows.Tests.Ecss;

/// <summary>Who is offered a case first: free HCAs, the least loaded, then the nearest.</summary>
public sealed class HcaRankingTests
{
    [Fact]
    public void HcaAttendingAPatientIsNotOffered()
    {
        var ranked = HcaRanking.Rank([
            new HcaCandidate("hca-01", "+447700900301", "DE22", Attending: true, OpenCases: 0),
            new HcaCandidate("hca-04", "+447700900304", "S40", Attending: false, OpenCases: 0),
        ], "DE22");

        ranked.Select(h => h.HcaId).Should().Equal("hca-04");
    }

    [Fact]
    public void NearestHcaIsOfferedFirstWhenLoadsAreEqual()
    {
        var ranked = HcaRanking.Rank([
            new HcaCandidate("hca-07", "+447700900307", "SK17", false, 0),
            new HcaCandidate("hca-04", "+447700900304", "S40", false, 0),
            new HcaCandidate("hca-01", "+447700900301", "DE23", false, 0),
        ], "DE22");

        ranked.Select(h => h.HcaId).Should().Equal("hca-01", "hca-04", "hca-07");
        ranked.Select(h => h.Distance).Should().Equal(1, 3, 3);
    }

    [Fact]
    public void HcaWithFewerOpenCasesIsOfferedBeforeANearerBusierOne()
    {
        var ranked = HcaRanking.Rank([
            new HcaCandidate("hca-01", "+447700900301", "DE22", false, OpenCases: 2),
            new HcaCandidate("hca-03", "+447700900303", "DE56", false, OpenCases: 0),
        ], "DE22");

        ranked.Select(h => h.HcaId).Should().Equal("hca-03", "hca-01");
    }

    [Theory]
    [InlineData("DE22", "DE22", 0)]
    [InlineData("DE22", "DE1", 1)]
    [InlineData("S40", "S45", 1)]
    [InlineData("DE4", "SK17", 2)]
    [InlineData("DE11", "SK17", 3)]
    [InlineData("DE22", "M1", 3)]
    public void CountyDistanceSteps(string from, string to, int expected) =>
        CountyAreas.Distance(from, to).Should().Be(expected);
}
