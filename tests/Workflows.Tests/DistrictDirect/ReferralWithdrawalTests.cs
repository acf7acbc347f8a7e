using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// A referral whose patient dies in hospital or no longer needs the service is withdrawn with a reason: its commitments
/// go back to the fund and its orchestration ends. Before, it waited for a discharge for ever, holding its money (H27).
/// </summary>
public sealed class ReferralWithdrawalTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> WithdrawAsync(string referralId, string reason, string role = "dd-officer", string userId = Officer) =>
        _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referralId}/withdraw", role, new { reason }, userId);

    [Fact]
    public async Task WithdrawnReferralReleasesItsCommitmentsAndEndsItsOrchestration()
    {
        var id = await _host.ReferAsync();
        var spend = await _host.AssessAsync(id, ("Deep clean of kitchen", 45_000, "Derby Clean Co"), ("Key safe fitted", 8_500, "Safe Hands Locks"));
        (await _host.DecideAsync(spend[0], "approve")).StatusCode.Should().Be(HttpStatusCode.OK);
        await _host.WaitForReferralAsync(id, r => r["spendPence"]!.GetValue<long>() == 45_000);

        var withdrawn = await WithdrawAsync(id, "Died on the ward this morning.");
        var again = await WithdrawAsync(id, "Died on the ward this morning.");

        withdrawn.StatusCode.Should().Be(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());
        JsonNode.Parse(await withdrawn.Content.ReadAsStringAsync())!["releasedPence"]!.GetValue<long>().Should().Be(45_000);
        again.StatusCode.Should().Be(HttpStatusCode.OK, "the same withdrawal sent again is the same withdrawal");
        var r = await _host.ReferralAsync(id);
        Status(r).Should().Be("withdrawn");
        r["withdrawal"]!["reason"]!.GetValue<string>().Should().Be("Died on the ward this morning.");
        r["spendPence"]!.GetValue<long>().Should().Be(0);
        r["spendRequests"]!.AsArray().Should().OnlyContain(s => s!["status"]!.GetValue<string>() == "cancelled" && s["committedPence"]!.GetValue<long>() == 0);
        r["spendRequests"]![0]!["releasedPence"]!.GetValue<long>().Should().Be(45_000);
        r["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "withdrawn").Should().Be(1);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instance = await _host.Services.GetRequiredService<DurableTaskClient>()
            .WaitForInstanceCompletionAsync(Workflows.DistrictDirect.ReferralRecord.InstanceIdFor(id), getInputsAndOutputs: true, wait.Token);
        instance.SerializedOutput.Should().Contain("withdrawn");
        await Replay.RecordedHistories.SaveAsync(_host, Workflows.DistrictDirect.ReferralRecord.InstanceIdFor(id), "discharge-referral-withdrawn");

        (await _host.DecideAsync(spend[1], "approve")).StatusCode.Should().Be(HttpStatusCode.Conflict, "nothing of a withdrawn referral is approved");
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/discharged", "dd-officer",
            new { dischargedAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:sszzz") }, Officer))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await WithdrawAsync(id, "Another reason", "dd-manager", "dd-rdh-manager")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ReferralWaitingForItsAssessmentIsWithdrawnByAManager()
    {
        var id = await _host.ReferAsync();
        await _host.WaitForReferralAsync(id, r => Has(r, "referral-received"));

        var withdrawn = await WithdrawAsync(id, "No longer needs the service: going to a care home.", "dd-manager", "dd-rdh-manager");

        withdrawn.StatusCode.Should().Be(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());
        var r = await _host.WaitForReferralAsync(id, r => Has(r, "withdrawn"));
        Status(r).Should().Be("withdrawn");
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/assessment", "dd-officer",
            new { findings = "Too late", spend = Array.Empty<object>() }, Officer)).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task DischargedReferralIsNotWithdrawn()
    {
        var id = await _host.ReferAsync();
        await _host.AssessAsync(id);
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/discharged", "dd-officer",
            new { dischargedAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:sszzz") }, Officer)).StatusCode.Should().Be(HttpStatusCode.OK);

        var refused = await WithdrawAsync(id, "Changed our minds");

        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["title"]!.GetValue<string>().Should().Be("Already discharged");
        Status(await _host.ReferralAsync(id)).Should().Be("discharged");
    }
}
