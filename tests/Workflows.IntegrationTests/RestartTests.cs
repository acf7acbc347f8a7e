using System.Net;
using System.Text.Json.Nodes;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests;

/// <summary>A case survives the local host dying: its state is in Azurite, not in the process.</summary>
public sealed class RestartTests
{
    private static string Call()
    {
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", "carer-exhausted-night.json")))!;
        call["callId"] = $"111-restart-{Guid.NewGuid():N}";
        call["receivedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz");
        return call.ToJsonString();
    }

    [Fact]
    public async Task CaseAwaitingTriageSurvivesAKilledHostAndCompletesAfterRestart()
    {
        await using var azurite = await Azurite.StartAsync();
        var hub = "restart" + Guid.NewGuid().ToString("N")[..8];
        var port = Azurite.FreePort();
        // A message the killed host had taken comes back after this; the default would stall the test for 90 s.
        var settings = new Dictionary<string, string> { ["LocalHost__QueueVisibilitySeconds"] = "20" };

        string caseId;
        await using (var first = await LocalHostProcess.StartAsync(azurite, hub, port, settings))
        {
            var accepted = await first.PostCallAsync(Call());
            accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
            caseId = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["caseId"]!.GetValue<string>();
            await first.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));
            first.Kill();
        }

        await using var second = await LocalHostProcess.StartAsync(azurite, hub, port, settings);
        var queue = JsonNode.Parse(await (await second.SendAsStaffAsync(HttpMethod.Get, "/api/triage/queue", "anp")).Content.ReadAsStringAsync())!;
        queue["cases"]!.AsArray().Should().Contain(c => c!["caseId"]!.GetValue<string>() == caseId);

        // The kill can land after OpenCase wrote "case-opened" but before the engine recorded the first episode; the
        // start message then comes back after the visibility timeout and triage answers 503 "try again" until it has
        // (H18). Or after the episode was recorded but before its start message was deleted: that message comes back
        // too and must be ignored, not stop the case for good (it did, in CI). Retry, as the 503 asks; nothing may be lost.
        var triage = await second.DecideAsStaffAsync($"/api/cases/{caseId}/triage", "anp",
            """{"outcome":"advice","notes":"Spoke to the carer after the restart"}""", TimeSpan.FromSeconds(90));
        triage.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var closed = await second.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed", TimeSpan.FromSeconds(120));
        closed["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should().ContainInOrder("case-opened", "triaged", "closed");
    }
}
