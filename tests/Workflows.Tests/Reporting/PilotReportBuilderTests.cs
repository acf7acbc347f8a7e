using NodaTime;
using Workflows.DistrictDirect;
using Workflows.Reporting;

namespace Workflows.Tests.Reporting;

public sealed class PilotReportBuilderTests
{
    private static readonly ReportPeriod November = new(new LocalDate(2026, 11, 1), new LocalDate(2026, 11, 30));
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Nov10 = new(2026, 11, 10, 21, 0, 0, TimeSpan.Zero);

    private static CaseFacts Case(string id, DateTimeOffset at, string status = "closed", string caller = "family") =>
        new(id, at, caller, status);

    private static PilotReport Build(IEnumerable<CaseFacts> cases, IEnumerable<DischargeFacts>? dd = null, FundPosition? fund = null) =>
        PilotReportBuilder.Build(November, cases, dd ?? [], fund, Now);

    [Fact]
    public void DeathsInThePreferredPlaceCountOnlyDeathsWhosePlacesAreBothKnown()
    {
        CaseFacts Died(string id, string? preferred, string? actual) =>
            Case(id, Nov10) with { CloseReason = "died", PreferredPlaceOfDeath = preferred, PlaceOfDeath = actual };
        var report = Build([
            Died("home-at-home", "home", "home"),
            Died("hospice-at-hospice", "hospice", "hospice"),
            Died("home-in-hospital", "home", "hospital"),
            Died("no-preference", null, "home"),
            Died("place-not-recorded", "home", null),
            Died("other-and-other", "other", "other"),
            Died("unknown-preference", "unknown", "home"),
            Case("admitted", Nov10) with { CloseReason = "admitted", PreferredPlaceOfDeath = "home", PlaceOfDeath = "home" },
            Died("last-month", "home", "home") with { ReceivedAt = Nov10.AddMonths(-1) },
        ]);

        report.Outcomes.DeathsInPreferredPlace.Should().Be(new Proportion(2, 3));
    }

    [Fact]
    public void CommunityCountsCarersCheckedInAndBereavedFamiliesFollowedUp()
    {
        var report = Build([
            Case("a", Nov10, "bridging") with { CarerCheckedIn = true },
            Case("b", Nov10) with { CloseReason = "died", BereavedFollowedUp = true },
            Case("c", Nov10) with { CloseReason = "died", CarerCheckedIn = true, BereavedFollowedUp = true },
            Case("d", Nov10),
            Case("e", Nov10.AddMonths(-1)) with { CarerCheckedIn = true, BereavedFollowedUp = true },
        ]);

        report.Community.Should().Be(new CommunityMeasures(CarersCheckedIn: 2, BereavedFollowedUp: 2));
    }

    [Fact]
    public void CountsOnlyCallsReceivedInThePeriod()
    {
        var report = Build([
            Case("a", new DateTimeOffset(2026, 10, 31, 23, 59, 0, TimeSpan.Zero)),   // 31 Oct, GMT
            Case("b", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)),
            Case("c", new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero)),
            Case("d", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
        ]);

        report.CrisisCare.Calls.Should().Be(2);
        report.CrisisCare.CallsByDay.Should().HaveCount(30);
        report.CrisisCare.CallsByDay[0].Should().Be(new DayCount("2026-11-01", 1));
        report.CrisisCare.CallsByDay[^1].Should().Be(new DayCount("2026-11-30", 1));
    }

    [Fact]
    public void TriageOutcomesCountEveryCaseIncludingThoseNotYetTriaged()
    {
        var report = Build([
            Case("a", Nov10) with { TriageOutcome = "advice", TriagedAt = Nov10.AddMinutes(5) },
            Case("b", Nov10) with { TriageOutcome = "advice", TriagedAt = Nov10.AddMinutes(15) },
            Case("c", Nov10, "awaiting-hca") with { TriageOutcome = "ecss", TriagedAt = Nov10.AddMinutes(30) },
            Case("d", Nov10, "closed") with { CloseReason = "cancelled" },
            Case("e", Nov10, "awaiting-triage"),
        ]);

        var t = report.CrisisCare.TriageOutcomes;
        t.Should().Equal(new Dictionary<string, int>
        {
            ["advice"] = 2, ["prescription"] = 0, ["refer"] = 0, ["ecss"] = 1, ["closed-before-triage"] = 1, ["awaiting-triage"] = 1,
        });
        report.CrisisCare.EcssReferrals.Should().Be(1);
        report.CrisisCare.CallToTriageMinutes.Should().Be(new Distribution(3, 15, 30));
        report.CrisisCare.StillOpen.Should().Be(2);
    }

    [Fact]
    public void TimeToHcaRunsFromTheEcssReferralToAcceptance()
    {
        var report = Build([
            Case("a", Nov10, "bridging") with { EcssReferredAt = Nov10.AddMinutes(20), HcaAcceptedAt = Nov10.AddMinutes(32) },
            Case("b", Nov10, "bridging") with { EcssReferredAt = Nov10.AddMinutes(20), HcaAcceptedAt = Nov10.AddMinutes(60) },
            Case("c", Nov10, "awaiting-hca") with { EcssReferredAt = Nov10.AddMinutes(20) },
        ]);

        report.CrisisCare.ReferralToHcaAcceptedMinutes.Should().Be(new Distribution(2, 26, 40));
    }

    [Fact]
    public void BridgingRunsToTheEndOfBridgingOrClosureOrNow()
    {
        var since = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var report = Build([
            Case("ended", Nov10, "closed") with { BridgingSince = Nov10, BridgingEndedAt = Nov10.AddDays(2), ClosedAt = Nov10.AddDays(5), Visits = 3 },
            Case("closed", Nov10, "closed") with { BridgingSince = Nov10, ClosedAt = Nov10.AddDays(1) },
            Case("ongoing", since, "bridging") with { BridgingSince = since, Visits = 1 },
        ]);

        report.CrisisCare.Bridging.Should().Be(new BridgingMeasures(3, 6, new Distribution(3, 2, 3), 4));
    }

    [Fact]
    public void ClosedCasesAreCountedByReason()
    {
        var report = Build([
            Case("a", Nov10) with { CloseReason = "died" },
            Case("b", Nov10) with { CloseReason = "died" },
            Case("c", Nov10) with { CloseReason = "package" },
            Case("d", Nov10, "referred"),
        ]);

        report.CrisisCare.ClosedByReason["died"].Should().Be(2);
        report.CrisisCare.ClosedByReason["package"].Should().Be(1);
        report.CrisisCare.ClosedByReason["admitted"].Should().Be(0);
        report.CrisisCare.StillOpen.Should().Be(1, "a referred case is open until someone closes it");
    }

    [Fact]
    public void TheFundIsAsItStoodAtTheEndOfThePeriod()
    {
        SpendRequest Spend(long amount, string status, DateTimeOffset? decided = null, DateTimeOffset? invoiced = null, long spent = 0,
            DateTimeOffset? cancelled = null) => new()
        {
            PartitionKey = "2026-27", AmountPence = amount, Status = status, DecidedAt = decided, InvoicedAt = invoiced, CancelledAt = cancelled,
            CommittedPence = status == "approved" ? amount : 0, SpentPence = spent,
            ReleasedPence = status == "invoiced" ? amount - spent : status == "cancelled" && decided is not null ? amount : 0,
        };
        var end = November.End;
        var requests = new[]
        {
            Spend(400_00, "approved", decided: Nov10),                                                      // committed then and now
            Spend(300_00, "invoiced", decided: Nov10, invoiced: Nov10.AddDays(2), spent: 250_00),           // spent by the end
            Spend(200_00, "invoiced", decided: Nov10, invoiced: end.AddDays(3), spent: 200_00),             // committed at the end, spent after
            Spend(150_00, "cancelled", decided: Nov10, cancelled: end.AddDays(1)),                         // cancelled after the end
            Spend(100_00, "cancelled", decided: Nov10, cancelled: Nov10.AddDays(1)),                       // cancelled before
            Spend(90_00, "approved", decided: end.AddHours(2)),                                             // approved after
            Spend(80_00, "rejected", decided: Nov10),
            Spend(70_00, "pending"),
        };

        FundPosition.At("2026-27", 10_000_00, requests, end).Should().Be(
            new FundPosition("2026-27", 10_000_00, 400_00 + 200_00 + 150_00, 250_00, 10_000_00 - 750_00 - 250_00, end));
        FundPosition.At("2026-27", 10_000_00, requests, end.AddDays(5)).Should().Be(
            new FundPosition("2026-27", 10_000_00, 400_00 + 90_00, 250_00 + 200_00, 10_000_00 - 490_00 - 450_00, end.AddDays(5)),
            "now it is the ledger's position");
    }

    [Fact]
    public void MeasuresOfSuccessCountCarersBereavementAndCommunityReferrals()
    {
        var report = Build([
            Case("carer-called", Nov10, caller: "carer") with { TriageOutcome = "advice", TriagedAt = Nov10 },
            Case("carer-waiting", Nov10, "awaiting-triage", caller: "carer"),
            Case("hcp-called-visit", Nov10, "bridging", caller: "hcp") with { CarerSupportVisit = true },
            Case("signposted", Nov10, caller: "hcp") with { BereavementSignposted = true },
            Case("befriending", Nov10, "referred", caller: "hcp") with { ReferredServiceId = "vcfse-befriending" },
            Case("district-nurses", Nov10, "referred", caller: "hcp") with { ReferredServiceId = "district-nursing" },
        ]);

        report.MeasuresOfSuccess.Should().Be(new SuccessMeasures(CarersSupported: 2, BereavementSignpostingSent: 1, CommunityReferrals: 1));
    }

    [Fact]
    public void DistrictDirectCountsReferralsBySourceSpendAndBedDays()
    {
        var nov = new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);
        var fund = new FundPosition("2026-27", 100_000_00, 1_250_00, 300_00, 98_450_00, Now);
        var report = Build([], [
            new DischargeFacts("r1", nov, "ward", true, 900_00, 300_00, nov.AddDays(2), 10),
            new DischargeFacts("r2", nov, "ed", true, 350_00, 0, null, 0),
            new DischargeFacts("r3", nov, "ward", false, 0, 0, nov.AddDays(1), 10),
            new DischargeFacts("october", nov.AddMonths(-1), "paramedic", true, 500_00, 500_00, nov, 10),
        ], fund);

        var d = report.DistrictDirect;
        d.Referrals.Should().Be(3);
        d.ReferralsBySource.Should().Equal(new Dictionary<string, int> { ["ward"] = 2, ["ed"] = 1, ["paramedic"] = 0 });
        d.NeedingSpend.Should().Be(2);
        d.CommittedPence.Should().Be(1_250_00);
        d.SpentPence.Should().Be(300_00);
        d.Discharged.Should().Be(2);
        d.BedDaysSaved.Should().Be(20);
        d.Fund.Should().Be(fund);
    }
}
