using System.Net;
using System.Text.Json.Nodes;
using Workflows.Tests.Ecss;

namespace Workflows.Tests.CrisisCare;

/// <summary>
/// What matters to the patient (issue 21): the ANP records the preferred place of death and the care plan known at
/// triage, the case page and the HCA at the door show it, and a death records where it happened.
/// </summary>
public sealed class WhatMattersTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static bool Has(JsonNode c, string kind) => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == kind);

    private static string Summary(JsonNode c, string kind) =>
        c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == kind)!["summary"]!.GetValue<string>();

    private async Task<string> OpenedCaseAsync()
    {
        var caseId = await _host.OpenCaseAsync();
        await _host.WaitForCaseAsync(caseId, c => Has(c, "case-opened"));
        return caseId;
    }

    [Fact]
    public async Task TriageRecordsWhatMattersAndADeathRecordsWhereItHappened()
    {
        var caseId = await OpenedCaseAsync();

        var triage = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new
        {
            outcome = "refer", notes = "Needs consultant advice on breathlessness", needs = new[] { "specialist-advice" },
            preferredPlaceOfDeath = "home",
            carePlan = new { dnacpr = true, anticipatoryMedicines = false, mainCarer = "Daughter (Sarah)" },
        });

        triage.StatusCode.Should().Be(HttpStatusCode.Accepted, await triage.Content.ReadAsStringAsync());
        var referred = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "referred");
        var matters = referred["whatMatters"]!;
        matters["preferredPlaceOfDeath"]!.GetValue<string>().Should().Be("home");
        matters["carePlan"]!["dnacpr"]!.GetValue<bool>().Should().BeTrue();
        matters["carePlan"]!["anticipatoryMedicines"]!.GetValue<bool>().Should().BeFalse();
        matters["carePlan"]!["respect"].Should().BeNull("nobody said whether a ReSPECT form is in place");
        matters["carePlan"]!["mainCarer"]!.GetValue<string>().Should().Be("Daughter (Sarah)");
        Summary(referred, "triaged").Should().Contain("preferred place of death: home").And.Contain("DNACPR in place: yes");

        var close = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator",
            new { reason = "died", notes = "Died at home with family present", placeOfDeath = "home" });

        close.StatusCode.Should().Be(HttpStatusCode.Accepted, await close.Content.ReadAsStringAsync());
        var closed = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
        closed["closed"]!["placeOfDeath"]!.GetValue<string>().Should().Be("home");
        Summary(closed, "closed").Should().Contain("Place of death: home");
    }

    [Fact]
    public async Task ACaseTriagedWithoutWhatMattersShowsNone()
    {
        var caseId = await OpenedCaseAsync();
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
            new { outcome = "advice", notes = "Reassured", carePlan = new { } })).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var closed = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");

        closed["whatMatters"].Should().BeNull();
        closed["closed"]!["placeOfDeath"].Should().BeNull();
    }

    [Fact]
    public async Task AnUnknownPlaceOrAPlaceOfDeathWithoutADeathIsRefusedAndNothingIsRecorded()
    {
        var caseId = await OpenedCaseAsync();

        var badTriage = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new
        {
            outcome = "advice", notes = "Reassured", preferredPlaceOfDeath = "garden", carePlan = new { dnacpr = "yes", mainCarer = 7 },
        });
        var badClose = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator",
            new { reason = "admitted", placeOfDeath = "hospital" });

        badTriage.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = JsonNode.Parse(await badTriage.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().Contain(["preferredPlaceOfDeath", "carePlan.dnacpr", "carePlan.mainCarer"]);
        badClose.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await badClose.Content.ReadAsStringAsync())!["errors"]!["placeOfDeath"].Should().NotBeNull();
        var c = await _host.GetJsonAsStaffAsync($"/api/cases/{caseId}", "anp");
        c["status"]!.GetValue<string>().Should().Be("awaiting-triage");
        c["whatMatters"].Should().BeNull();
    }
}

/// <summary>The HCA at the door sees what matters to the patient, on their phone and on the case page.</summary>
public sealed class WhatMattersAtTheDoorTests
{
    [Fact]
    public async Task TheHcaWhoAcceptsTheVisitSeesWhatMatters()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await ecss.Host.OpenCaseAsync();
        await ecss.Host.WaitForCaseAsync(caseId, c => EcssHost.Has(c, "case-opened"));
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new
        {
            outcome = "ecss", notes = "Daughter exhausted", preferredPlaceOfDeath = "home",
            carePlan = new { dnacpr = true, respect = true, anticipatoryMedicines = true },
        })).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await ecss.ReplyAsync("hca-01", $"YES {await ecss.OfferCodeAsync(caseId, "hca-01")}");
        await ecss.WaitForCaseAsync(caseId, c => EcssHost.Status(c) == "bridging");

        var mine = await ecss.Host.GetJsonAsStaffAsync("/api/ecss/my-cases", "hca", userId: "hca-01");
        var matters = mine["cases"]!.AsArray().Single(x => x!["caseId"]!.GetValue<string>() == caseId)!["whatMatters"]!;
        matters["preferredPlaceOfDeath"]!.GetValue<string>().Should().Be("home");
        matters["carePlan"]!["dnacpr"]!.GetValue<bool>().Should().BeTrue();
        matters["carePlan"]!["anticipatoryMedicines"]!.GetValue<bool>().Should().BeTrue();
        var page = await ecss.Host.GetJsonAsStaffAsync($"/api/cases/{caseId}", "hca", userId: "hca-01");
        page["whatMatters"]!["carePlan"]!["respect"]!.GetValue<bool>().Should().BeTrue();
    }
}
