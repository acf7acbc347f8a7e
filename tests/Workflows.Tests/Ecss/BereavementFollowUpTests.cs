using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Workflows.Ecss;
using Workflows.Messaging;
using Workflows.Tests.Messaging;

namespace Workflows.Tests.Ecss;

/// <summary>
/// Bereavement follow-up (issue 21): after a death the family's consented contacts are texted again at set times, on the
/// real durable engine with the months compressed to seconds by the setting, and a family that said STOP is not.
/// </summary>
public sealed class BereavementFollowUpTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Ecss:SignpostingDelayMinutes"] = "0.02",
        ["Ecss:BereavementFollowUps"] = "PT4S,PT12S",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static int Count(JsonNode c, string kind) => c["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == kind);

    /// <summary>A case whose consented daughter and not-consented son have phones no other test uses; closed as died.</summary>
    private async Task<(string CaseId, string Daughter, string Son)> DiedAsync()
    {
        var (daughter, son) = (MessagingParts.NewPhone(), MessagingParts.NewPhone());
        var caseId = await _host.OpenCaseAsync(Calls.Valid(change: call =>
        {
            call["familyContacts"]![0]!["phone"] = daughter;
            call["familyContacts"]![1]!["phone"] = son;
        }));
        await _host.WaitForCaseAsync(caseId, c => Count(c, "case-opened") > 0);
        var close = new { reason = "died", notes = "Died at home", placeOfDeath = "home" };
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", close)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        // A retry of the same close (or a second person's) starts no second set of follow-ups.
        ((int)(await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "anp", close)).StatusCode).Should().BeOneOf(202, 409);
        return (caseId, daughter, son);
    }

    private async Task<List<OutboxEntry>> FollowUpTextsAsync(string caseId) =>
        (await _host.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(1000, tag: caseId)).Where(m => m.Message.Contains("thinking of you")).ToList();

    [Fact]
    public async Task ADeathIsFollowedUpAtEachIntervalWithTheDirectorysBereavementSupport()
    {
        var (caseId, daughter, son) = await DiedAsync();

        var c = await _host.WaitForCaseAsync(caseId, c => Count(c, "bereavement-follow-up") == 2, TimeSpan.FromSeconds(90));

        var texts = await FollowUpTextsAsync(caseId);
        texts.Select(t => t.To).Should().Equal(daughter, daughter);
        texts.Should().NotContain(t => t.To == son, "the son did not consent to texts");
        texts.Should().AllSatisfy(t =>
        {
            t.Message.Should().Contain("bereavement support").And.Contain("Reply STOP");
            t.Message.Should().NotContain("Ashworth", "no surname and nothing of the patient in a text");
        });
        c["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "bereavement-follow-up")
            .Select(e => e!["summary"]!.GetValue<string>()).Should().SatisfyRespectively(
                first => first.Should().Contain("follow-up 1 of 2"), second => second.Should().Contain("follow-up 2 of 2"));
        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        var instance = await client.WaitForInstanceCompletionAsync(BereavementFollowUpWorkflow.InstanceId(caseId), getInputsAndOutputs: true);
        instance.ReadOutputAs<int>().Should().Be(2);
        await Replay.RecordedHistories.SaveAsync(_host, BereavementFollowUpWorkflow.InstanceId(caseId), "bereavement-follow-up-done");
    }

    [Fact]
    public async Task AFamilyThatSaidStopIsNotFollowedUpAgain()
    {
        var (caseId, daughter, _) = await DiedAsync();
        await _host.WaitForCaseAsync(caseId, c => Count(c, "bereavement-follow-up") == 1, TimeSpan.FromSeconds(60));

        var stop = await _host.Client.PostAsync("/api/sms/inbound", new StringContent(SmsReceivedEvent.From(daughter, "STOP"), Encoding.UTF8, "application/json"));
        stop.EnsureSuccessStatusCode();
        var c = await _host.WaitForCaseAsync(caseId, c => Count(c, "bereavement-follow-up") == 2, TimeSpan.FromSeconds(90));

        (await FollowUpTextsAsync(caseId)).Select(t => t.To).Should().Equal([daughter], "the second follow-up came after her STOP");
        c["timeline"]!.AsArray().Last(e => e!["kind"]!.GetValue<string>() == "bereavement-follow-up")!["summary"]!.GetValue<string>()
            .Should().Contain("replied STOP");
    }

    [Fact]
    public async Task ACaseNotClosedAsADeathIsNeverFollowedUp()
    {
        var caseId = await _host.OpenCaseAsync();
        await _host.WaitForCaseAsync(caseId, c => Count(c, "case-opened") > 0);

        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "admitted" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");

        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        (await client.GetInstanceAsync(BereavementFollowUpWorkflow.InstanceId(caseId))).Should().BeNull();
    }
}

/// <summary>When the follow-ups go: humane hours on the UK calendar, whatever the clocks do.</summary>
public sealed class BereavementFollowUpTimesTests
{
    [Fact]
    public void FollowUpsGoAtNineInTheMorningUkTimeOnTheirCalendarDay()
    {
        // Died at 23:30 BST on 31 July: the UK date is 31 July (22:30 UTC).
        var died = new DateTimeOffset(2026, 7, 31, 22, 30, 0, TimeSpan.Zero);
        var periods = new EcssSettings().FollowUpPeriods();

        var times = BereavementSignposting.FollowUpTimes(died, periods);

        times.Should().Equal(
            new DateTimeOffset(2026, 8, 14, 8, 0, 0, TimeSpan.Zero),    // 2 weeks: 09:00 BST
            new DateTimeOffset(2026, 10, 31, 9, 0, 0, TimeSpan.Zero),   // 3 months: 31 October, after the clocks go back (GMT)
            new DateTimeOffset(2027, 1, 31, 9, 0, 0, TimeSpan.Zero),    // 6 months
            new DateTimeOffset(2027, 8, 31, 8, 0, 0, TimeSpan.Zero));   // 13 months: just past the anniversary
        BereavementSignposting.FollowUpTimes(died, [Period.FromSeconds(30)]).Should().Equal(died.AddSeconds(30));
    }

    [Theory]
    [InlineData("P0D")]
    [InlineData("-P14D")]
    [InlineData("14 days")]
    [InlineData("P14D,,P3X")]
    public void AFollowUpSettingThatIsNotAListOfPositivePeriodsIsRefused(string value)
    {
        var read = () => new EcssSettings { BereavementFollowUps = value }.FollowUpPeriods();

        read.Should().Throw<InvalidOperationException>().WithMessage("*Ecss__BereavementFollowUps*");
    }
}
