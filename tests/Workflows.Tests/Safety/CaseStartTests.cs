using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Workflows.Tests.Safety;

/// <summary>
/// 111 is answered once the case row and its case-starts message are in the app's data store, not the durable engine's
/// (hazard H19). With the engine's storage down a call is still acknowledged and shown to the SPOC; its start is
/// retried, flagged to the coordinator when it keeps failing, and the case runs as usual once the engine is back.
/// </summary>
public sealed class CaseStartTests
{
    private const string Coordinator = "+447700900001";

    [Fact]
    public async Task CallIsAcknowledgedWhileTheEngineStoreIsDownAndItsCaseStartsWhenTheStoreIsBack()
    {
        var engineStore = await Azurite.StartAsync();
        var (location, ports) = (engineStore.Location, (engineStore.BlobPort!.Value, engineStore.QueuePort, engineStore.TablePort));
        var data = await Azurite.Shared;
        var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = engineStore.ConnectionString,
            ["DataStorage"] = data.ConnectionString,
            ["LocalHost:CaseStartRetrySeconds"] = "1",
            ["CrisisCare:CoordinatorPhone"] = Coordinator,
        });
        Azurite? restarted = null;
        try
        {
            await engineStore.StopAsync();

            var caseId = await host.OpenCaseAsync();

            var queue = await host.GetJsonAsStaffAsync("/api/triage/queue", "anp");
            queue["cases"]!.AsArray().Should().Contain(c => c!["caseId"]!.GetValue<string>() == caseId, "the SPOC sees the call at once");
            // The timeline row is the parking's last write, after the flag and the coordinator's text.
            var flagged = await host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "needs-attention"),
                TimeSpan.FromMinutes(2));
            flagged["status"]!.GetValue<string>().Should().Be("needs-attention");
            flagged["needsAttention"]!["reason"]!.GetValue<string>().Should().StartWith("Starting the case kept failing");
            var outbox = await host.Client.GetFromJsonAsync<JsonArray>($"/api/dev/sms/outbox?tag={caseId}");
            outbox!.Should().ContainSingle(m => m!["to"]!.GetValue<string>() == Coordinator, "the coordinator is told once, however long the start keeps failing");

            restarted = await Azurite.StartAsync(location, ports);

            await host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "awaiting-triage", TimeSpan.FromMinutes(2));
            var triage = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
                new { outcome = "advice", notes = "Advice given by phone." });
            triage.StatusCode.Should().Be(HttpStatusCode.Accepted, await triage.Content.ReadAsStringAsync());
            var closed = await host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed", TimeSpan.FromMinutes(1));
            closed["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should()
                .ContainInOrder("needs-attention", "started").And.Contain("triaged");
        }
        finally
        {
            await host.DisposeAsync();
            if (restarted is not null) await restarted.DisposeAsync();
            await engineStore.DisposeAsync();
        }
    }
}
