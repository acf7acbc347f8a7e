using System.Net;
using Microsoft.Extensions.Logging;
using Workflows.Messaging;
using Workflows.Tests.DistrictDirect;
using Workflows.Tests.Ecss;
using Workflows.Tests.Messaging;

namespace Workflows.Tests.Safety;

/// <summary>
/// A STOP honours a family's wish not to be texted; it must never silence what staff are sent to keep patients safe
/// (H30). Anyone with a staff phone, or the app key, can send STOP: it is recorded and reported, and the texts still go.
/// </summary>
public sealed class StaffAlertTests : IAsyncLifetime
{
    private const string Coordinator = "+447700900071";
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["CrisisCare:TriageResponseMinutes"] = "0.03",
        ["CrisisCare:TriageEscalationRepeatMinutes"] = "0.03",
        ["CrisisCare:CoordinatorPhone"] = Coordinator,
    });

    public async Task DisposeAsync()
    {
        await _host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(Coordinator, "START")));
        await _host.DisposeAsync();
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private Task<IReadOnlyList<OutboxEntry>> OutboxAsync(string? to = null, string? tag = null) =>
        _host.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(1000, to: to, tag: tag);

    [Fact]
    public async Task AStopFromTheCoordinatorsPhoneNeverSilencesOverdueTriageAlerts()
    {
        (await _host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(Coordinator, "STOP")))).EnsureSuccessStatusCode();

        var caseId = await _host.OpenCaseAsync();
        var overdue = await _host.WaitForCaseAsync(caseId,
            c => c["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "triage-overdue") >= 3);

        (await OutboxAsync(to: Coordinator, tag: caseId)).Should().HaveCountGreaterThanOrEqualTo(3);
        overdue["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "triage-overdue")
            .Should().OnlyContain(e => e!["summary"]!.GetValue<string>().Contains("The coordinator has been sent an SMS."));
        (await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", new { outcome = "advice", notes = "Called back" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task AStopFromAStaffPhoneIsRecordedAndTheCoordinatorIsToldOnceWithoutThePhoneInTheLog()
    {
        const string hca = "+447700900309";
        var logs = LogCapture.On(_host);
        try
        {
            (await _host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(hca, "STOP")))).EnsureSuccessStatusCode();
            (await _host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(hca, "stop")))).EnsureSuccessStatusCode();

            (await _host.Services.GetRequiredService<SmsOptOuts>().IsOptedOutAsync(hca)).Should().BeTrue("family texts to the number stop");
            (await OutboxAsync(to: hca)).Should().Contain(t => t.Message == SmsTemplates.StaffOptedOut());
            (await OutboxAsync(to: Coordinator)).Where(t => t.Message == SmsTemplates.CoordinatorStaffOptedOut("309")).Should().ContainSingle();
            logs.Lines.Should().Contain(l => l.Level == LogLevel.Warning && l.Message.Contains("staff phone"));
            logs.Lines.Should().NotContain(l => l.Message.Contains("900309"));
        }
        finally
        {
            await _host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(hca, "START")));
        }
    }

    [Fact]
    public async Task AFamilyStopStillStopsFamilyTexts()
    {
        var family = MessagingParts.NewPhone();
        (await _host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(family, "STOP")))).EnsureSuccessStatusCode();

        var sent = await _host.Services.GetRequiredService<ISmsSender>().SendAsync(
            new SmsMessage($"test-{Guid.NewGuid():N}", family, SmsTemplates.FamilyTriaged("Claire"), "case-x", SmsAudience.Family));

        sent.Sent.Should().BeFalse();
        (await OutboxAsync(to: family)).Select(t => t.Message).Should().Equal(SmsTemplates.OptedOut());
    }

    [Fact]
    public async Task AnHcaWhoRepliedStopIsStillOfferedACrisisVisit()
    {
        await using var ecss = await EcssHost.StartAsync();
        var phone = EcssHost.Phones["hca-01"];
        try
        {
            (await ecss.Host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(phone, "STOP")))).EnsureSuccessStatusCode();

            var caseId = await ecss.ReferToEcssAsync();

            (await ecss.OfferCodeAsync(caseId, "hca-01")).Should().NotBeNullOrEmpty("a patient in DE22 is offered to hca-01 first");
        }
        finally
        {
            await ecss.Host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(phone, "START")));
        }
    }

    [Fact]
    public async Task AnOfficerWhoRepliedStopIsStillAskedToApproveSpend()
    {
        try
        {
            (await _host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(Referrals.OfficerPhone, "STOP")))).EnsureSuccessStatusCode();

            var id = await _host.ReferAsync(Referrals.Body());
            await _host.WaitForReferralAsync(id, r => Referrals.Has(r, "referral-received"));
            await _host.AssessAsync(id, ("Key safe fitted", 8_500, "Safe Hands Locks"));
            await _host.WaitForReferralAsync(id, r => Referrals.Has(r, "approval-requested"));

            (await _host.TextsAsync(id)).Should().Contain(t => t.To == Referrals.OfficerPhone && t.Message.Contains("Reply APPROVE"));
        }
        finally
        {
            await _host.Client.PostAsync("/api/sms/inbound", Json(SmsReceivedEvent.From(Referrals.OfficerPhone, "START")));
        }
    }
}
