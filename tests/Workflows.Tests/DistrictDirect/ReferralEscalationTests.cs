using System.Net;
using NodaTime;
using Workflows.DistrictDirect;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>The referral's durable timers, on short settings: the manager hears of late assessments and undecided spend.</summary>
public sealed class ReferralEscalationTests
{
    [Fact]
    public async Task ReferralNotAssessedInTimeIsEscalatedToTheManager()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["DistrictDirect:AssessmentDueHours"] = "0.001" });
        var id = await host.ReferAsync();

        var referral = await host.WaitForReferralAsync(id, r => Has(r, "assessment-overdue"));

        referral["escalated"]!["assessmentAt"].Should().NotBeNull();
        (await host.TextsAsync(id)).Should().Contain(t => t.To == ManagerPhone && t.Message.Contains("no home assessment"));

        // Still open: the assessment is taken after the escalation.
        (await host.AssessAsync(id)).Should().BeEmpty();
        Status(await host.ReferralAsync(id)).Should().Be("awaiting-discharge");
        await Replay.RecordedHistories.SaveAsync(host, ReferralRecord.InstanceIdFor(id), "discharge-referral-assessment-escalated-in-flight");
    }

    [Fact]
    public async Task SpendUndecidedAtTheEndOfTheWorkingDayIsEscalatedToTheManager()
    {
        // The working day "ends" soon, UK time, but after the host has started and the home is assessed: a host start
        // took over 12 s on a loaded CI machine, the assessment then fell after the end and waited for the next day's.
        var ends = SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromSeconds(40)).InZone(WorkingDay.UkTime).TimeOfDay;
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["DistrictDirect:WorkingDayEnds"] = ends.ToString("HH:mm:ss", null) });
        var id = await host.ReferAsync();
        var spend = await host.AssessAsync(id, ("Deep clean", 38_000, "Derby Clean Co"), ("Key safe", 9_000, "Safe Hands Locks"));
        (await host.DecideAsync(spend[1], "approve")).StatusCode.Should().Be(HttpStatusCode.OK);

        var referral = await host.WaitForReferralAsync(id, r => Has(r, "approval-overdue"), TimeSpan.FromSeconds(90));

        referral["escalated"]!["approvalAt"].Should().NotBeNull();
        referral["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "approval-overdue")!["summary"]!.GetValue<string>()
            .Should().Contain(spend[0]).And.NotContain(spend[1]);
        (await host.TextsAsync(id)).Should().Contain(t => t.To == ManagerPhone && t.Message.Contains("undecided at the end of the working day"));

        (await host.DecideAsync(spend[0], "approve", role: "dd-manager", userId: "dd-rdh-manager")).StatusCode.Should().Be(HttpStatusCode.OK);
        Status(await host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge")).Should().Be("awaiting-discharge");
    }
}
