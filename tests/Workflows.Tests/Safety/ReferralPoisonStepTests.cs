using System.Net;
using Microsoft.DurableTask.Client;
using Workflows.DistrictDirect;
using Workflows.Http;
using Workflows.Tests.Messaging;
using Workflows.Tests.DistrictDirect;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.Safety;

/// <summary>
/// A District Direct step that keeps failing (here: ACS answering 500 to every text, so the officers cannot be told of a
/// new referral) is retried with backoff and then parks the referral as needs-attention, in the record and the officers'
/// work list, with the managers told; the orchestration does not fail where nobody looks. On an Azurite of its own: it
/// adds an officer, and counts the texts each officer is sent.
/// </summary>
public sealed class ReferralPoisonStepTests : IAsyncLifetime
{
    private const int Attempts = 3;
    /// <summary>Each try of a step sends each text this often: the first attempt and Sms:SendRetries=1.</summary>
    private const int SendsPerTry = 2;

    /// <summary>A second officer at the hospital, whose failing texts must not keep the first from being told.</summary>
    private const string SecondOfficerPhone = "+447700900677";

    private Azurite _azurite = null!;
    private FakeAcs _acs = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _acs = await FakeAcs.StartAsync();
        _acs.Then(Enumerable.Repeat(FakeAcs.Answer.ServerError, 1000).ToArray());
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:ConnectionString"] = _acs.ConnectionString,
            ["Sms:FromNumber"] = "+447700900000",
            ["Sms:SendRetries"] = "1",
            ["Sms:SendRetryBaseDelaySeconds"] = "0.05",
            ["DistrictDirect:StepAttempts"] = Attempts.ToString(),
            ["DistrictDirect:StepFirstRetrySeconds"] = "1",
        }, _azurite);
        (await _host.SendAsStaffAsync(HttpMethod.Put, "/api/admin/staff/dd-aaa-officer", Roles.Admin, new
        {
            name = "Ann Abbott", roles = new[] { "dd-officer" }, phone = SecondOfficerPhone, hospital = "royal-derby", identities = Array.Empty<string>(),
        })).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _acs.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task ReferralStepThatKeepsFailingIsRetriedThenParkedAsNeedsAttentionAndTheManagerIsTold()
    {
        var id = await _host.ReferAsync();
        var tag = ReferralRecord.InstanceIdFor(id);

        var parked = await _host.WaitForReferralAsync(id, r => Has(r, "needs-attention"), TimeSpan.FromMinutes(2));

        Status(parked).Should().Be("awaiting-assessment", "the stage is kept, so an officer can carry the referral on by hand");
        parked["needsAttention"]!["reason"]!.GetValue<string>().Should().Contain(ReferralActivities.OpenReferral);
        parked["needsAttention"]!["at"].Should().NotBeNull();
        foreach (var officer in new[] { OfficerPhone, SecondOfficerPhone })
            _acs.Attempts.Count(a => a.To == officer && a.Tag == tag && a.Message.Contains("new referral", StringComparison.Ordinal))
                .Should().Be(Attempts * SendsPerTry, "each try texts every officer before failing, and the step was tried the set number of times, then given up");

        var toManager = _acs.Attempts.Where(a => a.To == ManagerPhone && a.Tag == tag).ToList();
        toManager.Should().Contain(a => a.Message.Contains("is stuck", StringComparison.Ordinal), "the manager is texted that the referral is parked");
        toManager.Should().OnlyContain(a => !a.Message.Contains("Edith") && !a.Message.Contains("Turner") && !a.Message.Contains("9434765919")
            && !a.Message.Contains("Station Road"));

        var worklist = await _host.GetJsonAsStaffAsync("/api/district-direct/referrals?status=needs-attention", "dd-officer");
        worklist["referrals"]!.AsArray().Should().Contain(r => r!["referralId"]!.GetValue<string>() == id && r["needsAttention"] != null);

        // The park step writes the timeline a moment before the orchestration's last episode is committed.
        using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var instance = await _host.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(tag, getInputsAndOutputs: true, wait.Token);
        instance.RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Completed);
        instance.SerializedOutput.Should().Contain("needs-attention");
        await Replay.RecordedHistories.SaveAsync(_host, tag, "discharge-referral-parked");

        var assessed = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/assessment", "dd-officer",
            new { findings = "Assessed by phone after the referral was parked.", spend = Array.Empty<object>() }, Referrals.Officer);
        assessed.StatusCode.Should().Be(HttpStatusCode.Created, "a parked referral can still be carried on in the app");
    }
}
