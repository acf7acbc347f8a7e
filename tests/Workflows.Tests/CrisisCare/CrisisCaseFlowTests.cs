using System.Net;
using System.Text.Json.Nodes;

namespace Workflows.Tests.CrisisCare;

/// <summary>A crisis case from the 111 call to the ANP's decision, on the Azurite-backed durable engine.</summary>
public sealed class CrisisCaseFlowTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static bool Has(JsonNode c, string kind) => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == kind);

    [Fact]
    public async Task AdviceClosesTheCaseWithTheAnpsNotes()
    {
        var caseId = await _host.OpenCaseAsync();
        await _host.WaitForCaseAsync(caseId, c => Has(c, "case-opened"));

        var triage = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
            new { outcome = "advice", notes = "Talked the daughter through resetting the syringe driver" });

        triage.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var closed = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
        closed["closed"]!["reason"]!.GetValue<string>().Should().Be("advice");
        closed["triage"]!["notes"]!.GetValue<string>().Should().Contain("syringe driver");
        closed["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>())
            .Should().ContainInOrder("case-opened", "triaged", "closed");
    }
}
