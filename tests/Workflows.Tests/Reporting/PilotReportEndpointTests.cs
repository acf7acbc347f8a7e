using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Workflows.Tests.Reporting;

/// <summary>GET /api/reports/pilot on the local host, over its own Azurite so the period holds only this test's cases.</summary>
public sealed class PilotReportEndpointTests : IAsyncLifetime
{
    private Azurite _azurite = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _host = await TestHost.StartAsync(azurite: _azurite);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private static string Week()
    {
        var today = DateTime.UtcNow.Date;
        return $"from={today.AddDays(-7):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";
    }

    [Fact]
    public async Task OnlyTheReportingRoleMayReadIt()
    {
        var r = await _host.SendAsStaffAsync(HttpMethod.Get, "/api/reports/pilot", "anp");

        r.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task DatesThatAreNotDatesAreAProblemPerField()
    {
        var r = await _host.SendAsStaffAsync(HttpMethod.Get, "/api/reports/pilot?from=01/11/2026&to=2026-11-30", "reporting");

        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        problem["errors"]!["from"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task ReportCountsThePeriodsCallsAndItsCsvHoldsTheSameNumbers()
    {
        var advice = await _host.OpenCaseAsync(Calls.Valid(receivedAt: DateTimeOffset.UtcNow.AddMinutes(-40)));
        var ecss = await _host.OpenCaseAsync(Calls.Valid(receivedAt: DateTimeOffset.UtcNow.AddMinutes(-20)));
        var waiting = await _host.OpenCaseAsync();
        foreach (var (id, outcome) in new[] { (advice, "advice"), (ecss, "ecss") })
        {
            await _host.WaitForCaseAsync(id, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));
            (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{id}/triage", "anp", new { outcome, notes = "Seen" }))
                .StatusCode.Should().Be(HttpStatusCode.Accepted);
        }
        await _host.WaitForCaseAsync(advice, c => c["status"]!.GetValue<string>() == "closed");

        var json = await _host.GetJsonAsStaffAsync($"/api/reports/pilot?{Week()}", "reporting");

        var crisis = json["crisisCare"]!;
        crisis["calls"]!.GetValue<int>().Should().Be(3);
        crisis["triageOutcomes"]!["advice"]!.GetValue<int>().Should().Be(1);
        crisis["triageOutcomes"]!["ecss"]!.GetValue<int>().Should().Be(1);
        crisis["triageOutcomes"]!["awaiting-triage"]!.GetValue<int>().Should().Be(1);
        crisis["ecssReferrals"]!.GetValue<int>().Should().Be(1);
        crisis["callToTriageMinutes"]!["count"]!.GetValue<int>().Should().Be(2);
        crisis["callToTriageMinutes"]!["p90"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(40);
        crisis["closedByReason"]!["advice"]!.GetValue<int>().Should().Be(1);
        waiting.Should().NotBe(advice);

        var request = await _host.AsStaffAsync(HttpMethod.Get, $"/api/reports/pilot?{Week()}", "reporting");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await _host.Client.SendAsync(request);
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var rows = Csv.Parse(await csv.Content.ReadAsStringAsync());
        rows[0].Should().Equal("section", "measure", "value", "unit", "key", "from", "to");
        rows.Should().HaveCount(json["rows"]!.AsArray().Count + 1);
        foreach (var row in rows.Skip(1))
            row[2].Should().Be(JsonAt(json, row[4]), $"the CSV's {row[4]} is the JSON's");
    }

    [Fact]
    public async Task DeathsInThePreferredPlaceAreCountedFromTriageAndClose()
    {
        async Task DiedAsync(string preferred, string actual)
        {
            var id = await _host.OpenCaseAsync();
            await _host.WaitForCaseAsync(id, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));
            (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{id}/triage", "anp",
                new { outcome = "refer", notes = "Advice", needs = new[] { "specialist-advice" }, preferredPlaceOfDeath = preferred }))
                .StatusCode.Should().Be(HttpStatusCode.Accepted);
            await _host.WaitForCaseAsync(id, c => c["status"]!.GetValue<string>() == "referred");
            (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{id}/close", "anp", new { reason = "died", placeOfDeath = actual }))
                .StatusCode.Should().Be(HttpStatusCode.Accepted);
            await _host.WaitForCaseAsync(id, c => c["status"]!.GetValue<string>() == "closed");
        }
        await DiedAsync("home", "home");
        await DiedAsync("hospice", "hospital");
        await DiedAsync("unknown", "home");

        var json = await _host.GetJsonAsStaffAsync($"/api/reports/pilot?{Week()}", "reporting");

        json["outcomes"]!["deathsInPreferredPlace"]!["count"]!.GetValue<int>().Should().Be(1);
        json["outcomes"]!["deathsInPreferredPlace"]!["of"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task DistrictDirectReferralsAndTheFundAreReported()
    {
        var body = Workflows.Tests.DistrictDirect.Referrals.Body();
        body["source"] = "paramedic";
        await Workflows.Tests.DistrictDirect.Referrals.ReferAsync(_host, body);

        var json = await _host.GetJsonAsStaffAsync($"/api/reports/pilot?{Week()}", "reporting");

        var dd = json["districtDirect"]!;
        dd["referrals"]!.GetValue<int>().Should().Be(1);
        dd["referralsBySource"]!["paramedic"]!.GetValue<int>().Should().Be(1);
        dd["fund"]!["totalPence"]!.GetValue<long>().Should().BePositive();
        dd["fund"]!["availablePence"]!.GetValue<long>().Should().Be(dd["fund"]!["totalPence"]!.GetValue<long>()
            - dd["fund"]!["committedPence"]!.GetValue<long>() - dd["fund"]!["spentPence"]!.GetValue<long>());
    }

    /// <summary>The number at a dotted path ("crisisCare.triageOutcomes.advice") as the CSV writes it; "" when null.</summary>
    private static string JsonAt(JsonNode root, string path)
    {
        var node = path.Split('.').Aggregate((JsonNode?)root, (n, key) => n?[key]);
        return node is null ? "" : node.GetValue<double>().ToString(CultureInfo.InvariantCulture);
    }
}
