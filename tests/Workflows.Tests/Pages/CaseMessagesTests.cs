using System.Net;
using System.Text.Json.Nodes;

namespace Workflows.Tests.Pages;

/// <summary>GET /api/cases/{id}/messages: the texts about a case and their state, with staff numbers masked.</summary>
public sealed class CaseMessagesTests : IAsyncLifetime
{
    private const string Coordinator = "+447700900002";
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["CrisisCare:TriageResponseMinutes"] = "0.02",
        ["CrisisCare:TriageEscalationRepeatMinutes"] = "60",
        ["CrisisCare:CoordinatorPhone"] = Coordinator,
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheCoordinatorsOverdueAlertIsListedWithItsStateAndAMaskedNumber()
    {
        var caseId = await _host.OpenCaseAsync();
        await _host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "triage-overdue"));

        var body = await _host.GetJsonAsStaffAsync($"/api/cases/{caseId}/messages", "anp");

        var message = body["messages"]!.AsArray().Single()!;
        message["recipient"]!.GetValue<string>().Should().Be("Staff");
        message["to"]!.GetValue<string>().Should().Be("ending 002");
        message["status"]!.GetValue<string>().Should().Be("sent");
        message["body"]!.GetValue<string>().Should().Contain("triage");
    }

    [Fact]
    public async Task AnHcaCannotReadACasesTexts()
    {
        var caseId = await _host.OpenCaseAsync();

        var r = await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}/messages", "hca");

        r.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AnUnknownCaseIsNotFound() =>
        (await _host.SendAsStaffAsync(HttpMethod.Get, "/api/cases/case-00000000000000000000/messages", "coordinator"))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
}
