using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Reporting;
using Workflows.Storage;

namespace Workflows.Tests.Reporting;

/// <summary>
/// The ECSS measures read from the facts ECSS's writes leave: timeline kinds, the case's bridging fields and its visits.
/// Seeded through the stores on a day of its own in the past, asserting on this test's case ids only (the tables are shared).
/// </summary>
public sealed class PilotReportSourceTests : IAsyncLifetime
{
    private TableStore _store = null!;
    private PilotReportSource _source = null!;
    private readonly DateTimeOffset _day = new DateTimeOffset(2019, 6, 12, 9, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(0, 600));

    public async Task InitializeAsync()
    {
        _store = new TableStore(new TableServiceClient((await Azurite.Shared).ConnectionString));
        await _store.EnsureTablesAsync();
        _source = new PilotReportSource(new ReportFacts(_store), Workflows.Tests.DistrictDirect.FundLedgerTests.Ledger(_store));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> CaseAsync(DateTimeOffset? bridgingSince)
    {
        var id = CaseRecord.IdFor($"111-source-{Guid.NewGuid():N}");
        await new CaseStore(_store).TryAddAsync(new CaseRecord
        {
            PartitionKey = id, ReceivedAt = _day, AcceptedAt = _day, CallerRole = "hcp", Status = CaseStatus.Bridging,
            TriageOutcome = TriageOutcome.Ecss, TriagedAt = _day.AddMinutes(10), BridgingSince = bridgingSince,
        });
        return id;
    }

    /// <summary>As ECSS's activities log it: a step id, and "-family" when the row records texts to the family.</summary>
    private Task EventAsync(string caseId, string kind, DateTimeOffset at, string stepId) =>
        new CaseTimeline(_store).AppendAsync(new TimelineEntry(caseId, stepId, at, kind, "system", "seeded"));

    /// <summary>As the visits route records it: the visit's row, then its facts.</summary>
    private async Task VisitAsync(string caseId, DateTimeOffset arrivedAt, string care)
    {
        var visitId = $"{arrivedAt.UtcTicks:D19}-hca-01";
        await _store.Table(TableNames.CaseVisits).AddEntityAsync(new TableEntity(caseId, visitId)
        {
            ["HcaId"] = "hca-01", ["ArrivedAt"] = arrivedAt, ["LeftAt"] = arrivedAt.AddMinutes(45), ["Care"] = care,
        });
        await new ReportFacts(_store).VisitAsync(_day, caseId, visitId, ReportFacts.Care(care));
    }

    [Fact]
    public async Task EcssTimelineAndVisitsBecomeTheReportsEcssMeasures()
    {
        var accepted = _day.AddMinutes(50);
        var bridged = await CaseAsync(bridgingSince: accepted);
        await EventAsync(bridged, "ecss-referred", _day.AddMinutes(20), "s1");
        await EventAsync(bridged, "hca-accepted", accepted, "s2");
        await EventAsync(bridged, "bridging-ended", accepted.AddDays(2), "s3");
        await EventAsync(bridged, "bereavement-signposting", accepted.AddDays(3), "s4-family");
        await VisitAsync(bridged, accepted.AddMinutes(30), "personal-care,emotional-support");
        await VisitAsync(bridged, accepted.AddHours(20), "comfort-call");

        var untexted = await CaseAsync(bridgingSince: null);
        await EventAsync(untexted, "ecss-referred", _day.AddMinutes(20), "s1");
        await EventAsync(untexted, "hca-accepted", _day.AddMinutes(80), "s2");
        await EventAsync(untexted, "bereavement-signposting", _day.AddDays(1), "s3");
        await VisitAsync(untexted, _day.AddMinutes(120), "personal-care");

        var date = ReportPeriod.DayOf(_day);
        var period = new ReportPeriod(date, date.PlusDays(1));
        var facts = (await _source.FactsAsync(period)).Cases.Where(c => c.CaseId == bridged || c.CaseId == untexted).ToDictionary(c => c.CaseId);

        facts[bridged].Should().BeEquivalentTo(new
        {
            EcssReferredAt = _day.AddMinutes(20), HcaAcceptedAt = accepted, BridgingSince = accepted,
            BridgingEndedAt = accepted.AddDays(2), BereavementSignposted = true, CarerSupportVisit = true, Visits = 2,
        });
        facts[untexted].Should().BeEquivalentTo(new
        {
            HcaAcceptedAt = _day.AddMinutes(80), BridgingSince = (DateTimeOffset?)null, BereavementSignposted = false,
            CarerSupportVisit = false, Visits = 1,
        }, "a bereavement row without texts to the family means nobody was texted");

        var report = PilotReportBuilder.Build(period, facts.Values, [], null, accepted.AddDays(5));
        report.CrisisCare.ReferralToHcaAcceptedMinutes.Should().Be(new Distribution(2, 45, 60));
        report.CrisisCare.Bridging.Should().Be(new BridgingMeasures(1, 2, new Distribution(1, 2, 2), 3));
        report.MeasuresOfSuccess.BereavementSignpostingSent.Should().Be(1);
        report.MeasuresOfSuccess.CarersSupported.Should().Be(1);
    }
}
