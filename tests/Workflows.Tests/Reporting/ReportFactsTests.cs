using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Reporting;
using Workflows.Storage;
using Workflows.Tests.DistrictDirect;
using Workflows.Tests.Ecss;

namespace Workflows.Tests.Reporting;

/// <summary>
/// The pilot report reads the facts each store keeps per day, written as the records are: a store from before the
/// facts reports the same once its one-off upgrade has run. Over its own Azurite, so the period holds only this test's records.
/// </summary>
public sealed class ReportFactsTests : IAsyncLifetime
{
    private Azurite _azurite = null!;
    private EcssHost _ecss = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _ecss = await EcssHost.StartAsync(azurite: _azurite);
    }

    public async Task DisposeAsync()
    {
        await _ecss.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private TestHost Host => _ecss.Host;

    [Fact]
    public async Task AStoreFromBeforeTheFactsReportsTheSameOnceUpgraded()
    {
        // A case bridged by an HCA with two visits (one corrected to support the carer), ended by a care package.
        var bridged = await _ecss.ReferToEcssAsync();
        await _ecss.ReplyAsync("hca-01", $"YES {await _ecss.OfferCodeAsync(bridged, "hca-01")}");
        await _ecss.WaitForCaseAsync(bridged, c => c["status"]!.GetValue<string>() == "bridging");
        var arrived = DateTimeOffset.UtcNow.AddHours(-3);
        (await _ecss.RecordVisitAsync(bridged, "hca-01", arrived, ["personal-care"])).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _ecss.RecordVisitAsync(bridged, "hca-01", arrived, ["personal-care", "emotional-support"])).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _ecss.RecordVisitAsync(bridged, "hca-01", arrived.AddHours(2), ["comfort-call"])).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{bridged}/package", "coordinator",
            new { provider = "Peak Home Care", startsAt = DateTimeOffset.UtcNow.ToString("O") })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await _ecss.WaitForCaseAsync(bridged, c => c["status"]!.GetValue<string>() == "closed");
        // A call given advice and closed, one still awaiting triage, and a District Direct referral with spend.
        var advice = await Host.OpenCaseAsync();
        await Host.WaitForCaseAsync(advice, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));
        (await Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{advice}/triage", "anp", new { outcome = "advice", notes = "Seen" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Host.WaitForCaseAsync(advice, c => c["status"]!.GetValue<string>() == "closed");
        await Host.OpenCaseAsync();
        var referral = await Host.ReferAsync();
        await Host.AssessAsync(referral, ("Deep clean", 30_000, "Derby Clean Co"));

        var fresh = await ReportAsync();
        var crisis = fresh["crisisCare"]!;
        (crisis["calls"]!.GetValue<int>(), crisis["ecssReferrals"]!.GetValue<int>(), crisis["stillOpen"]!.GetValue<int>()).Should().Be((3, 1, 1));
        crisis["referralToHcaAcceptedMinutes"]!["count"]!.GetValue<int>().Should().Be(1, "the timeline's steps are in the facts");
        (crisis["bridging"]!["cases"]!.GetValue<int>(), crisis["bridging"]!["visits"]!.GetValue<int>()).Should().Be((1, 2), "a visit corrected is still one visit");
        var today = ReportPeriod.DayOf(DateTimeOffset.UtcNow);
        (await Host.Services.GetRequiredService<ReportFacts>().PeriodAsync(new ReportPeriod(today.PlusDays(-1), today.PlusDays(1)))).Cases
            .Single(c => c.CaseId == bridged).CarerSupportVisit.Should().BeTrue("the correction added emotional support");
        (fresh["districtDirect"]!["referrals"]!.GetValue<int>(), fresh["districtDirect"]!["needingSpend"]!.GetValue<int>()).Should().Be((1, 1));

        // The store as the previous version left it: the records, without their facts.
        var facts = Host.Services.GetRequiredService<TableStore>().Table(TableNames.ReportFacts);
        await foreach (var row in facts.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            await facts.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        (await ReportAsync())["crisisCare"]!["calls"]!.GetValue<int>().Should().Be(0, "the report reads the facts, not the records");

        var upgrade = Host.Services.GetServices<StoreUpgrade>().Single(u => u.Name == ReportFacts.Upgrade);
        await upgrade.RunAsync(default);
        (await ReportAsync()).ToJsonString().Should().Be(fresh.ToJsonString());
        await upgrade.RunAsync(default);
        (await ReportAsync()).ToJsonString().Should().Be(fresh.ToJsonString(), "the upgrade is idempotent");
    }

    /// <summary>The report for the last week and the next day, without the time it was made (the fund's is that time too).</summary>
    private async Task<JsonObject> ReportAsync()
    {
        var today = DateTime.UtcNow.Date;
        var json = (await Host.GetJsonAsStaffAsync($"/api/reports/pilot?from={today.AddDays(-7):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}", "reporting")).AsObject();
        json.Remove("generatedAt");
        json["districtDirect"]!["fund"]!.AsObject().Remove("asAt");
        return json;
    }
}
