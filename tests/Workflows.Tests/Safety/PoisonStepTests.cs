using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Workflows.Tests.Messaging;

namespace Workflows.Tests.Safety;

/// <summary>
/// A step that keeps failing (here: ACS answering 500 to every text) is retried with backoff and then parks the case as
/// needs-attention, visible on the case and in the triage queue, with the coordinator told; the orchestration does not
/// fail where nobody looks.
/// </summary>
public sealed class PoisonStepTests : IAsyncLifetime
{
    private const string Coordinator = "+447700900001";
    private const int Attempts = 3;

    private FakeAcs _acs = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _acs = await FakeAcs.StartAsync();
        _acs.Then(Enumerable.Repeat(FakeAcs.Answer.ServerError, 1000).ToArray());
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:ConnectionString"] = _acs.ConnectionString,
            ["Sms:FromNumber"] = "+447700900000",
            ["Sms:SendRetries"] = "1",
            ["Sms:SendRetryBaseDelaySeconds"] = "0.05",
            ["CrisisCare:CoordinatorPhone"] = Coordinator,
            // Overdue at once, so the first step that texts is the escalation.
            ["CrisisCare:TriageResponseMinutes"] = "0.01",
            ["CrisisCare:TriageEscalationRepeatMinutes"] = "600",
            ["CrisisCare:StepAttempts"] = Attempts.ToString(),
            ["CrisisCare:StepFirstRetrySeconds"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _acs.DisposeAsync();
    }

    [Fact]
    public async Task StepThatKeepsFailingParksTheCaseAsNeedsAttentionAndTellsTheCoordinator()
    {
        var caseId = await _host.OpenCaseAsync();

        var parked = await _host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "needs-attention"),
            TimeSpan.FromMinutes(2));

        parked["status"]!.GetValue<string>().Should().Be("needs-attention");
        parked["needsAttention"]!["reason"]!.GetValue<string>().Should().Contain("EscalateTriage");
        var queue = await _host.GetJsonAsStaffAsync("/api/triage/queue", "coordinator");
        queue["cases"]!.AsArray().Should().Contain(c => c!["caseId"]!.GetValue<string>() == caseId && c["needsAttention"] != null);

        var toCoordinator = _acs.Attempts.Where(a => a.To == Coordinator && a.Tag == caseId).ToList();
        toCoordinator.Count(a => a.Message.Contains("waited", StringComparison.Ordinal)).Should().BeGreaterThanOrEqualTo(Attempts, "the escalation was retried, then given up");
        toCoordinator.Should().Contain(a => a.Message.Contains("stuck", StringComparison.Ordinal), "the coordinator is texted that the case is parked");

        // The park step writes the timeline a moment before the orchestration's last episode is committed.
        using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var instance = await _host.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(caseId, getInputsAndOutputs: true, wait.Token);
        instance.RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Completed);
        instance.SerializedOutput.Should().Contain("needs-attention");

        var close = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "other", notes = "Taken over by phone" });
        close.StatusCode.Should().Be(HttpStatusCode.Accepted, "a parked case can still be closed by a person");
        await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
    }
}
