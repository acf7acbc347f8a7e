using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Workflows.Tests.Messaging;

namespace Workflows.Tests.Safety;

/// <summary>
/// A step that keeps failing (here: ACS answering 500 to every text) is retried with backoff and then parks the case as
/// needs-attention, visible on the case and in the triage queue, with the coordinator told; the orchestration does not
/// fail where nobody looks, and waits for a person to resume or close the case.
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

        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        (await client.GetInstanceAsync(caseId))!.RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Running, "a parked case waits for a person");
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "advice", notes = "Called back" }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "a parked case is resumed before it is triaged");
    }

    /// <summary>A case parked while waiting for triage, resumed by the coordinator, waits for triage again and is triaged as usual (H25).</summary>
    [Fact]
    public async Task CaseParkedBeforeTriageIsResumedIntoTheQueueAndTriaged()
    {
        var caseId = await _host.OpenCaseAsync();
        await _host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "needs-attention"),
            TimeSpan.FromMinutes(2));

        var resume = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/resume", "coordinator", new { notes = "Phoned the family" });

        resume.StatusCode.Should().Be(HttpStatusCode.Accepted, await resume.Content.ReadAsStringAsync());
        var waiting = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "awaiting-triage");
        waiting["needsAttention"].Should().BeNull();
        var queue = await _host.GetJsonAsStaffAsync("/api/triage/queue", "anp");
        queue["cases"]!.AsArray().Should().Contain(c => c!["caseId"]!.GetValue<string>() == caseId && c["status"]!.GetValue<string>() == "awaiting-triage");
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "advice", notes = "Called back" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        var closed = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
        var kinds = closed["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        kinds.Should().ContainInOrder("case-opened", "needs-attention", "resumed", "triaged", "closed");
        kinds.Count(k => k == "case-opened").Should().Be(1, "the resumed stage ran again on its own step ids");
    }
}
