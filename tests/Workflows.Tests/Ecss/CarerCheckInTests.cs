using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Workflows.CrisisCare;
using Workflows.Ecss;
using Workflows.Messaging;
using Workflows.Tests.Messaging;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Ecss;

/// <summary>
/// Carers' wellbeing check-ins (issue 21) on the real durable engine, their days compressed to seconds by the settings:
/// the carer of a bridged case is asked how they are coping, and a low score or HELP reaches the coordinator with the case.
/// </summary>
public sealed partial class CarerCheckInTests
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Ecss:CarerCheckInFirstHours"] = "0.001",
        ["Ecss:CarerCheckInEveryHours"] = "0.006",
        ["Ecss:CarerCheckInAfterCareHours"] = "0.001",
        ["Ecss:CarerCheckInReplyHours"] = "0.004",
        // Any hour: these timers run in seconds, whatever the time of day the tests run.
        ["Ecss:CarerCheckInDaytime"] = "",
    };

    [GeneratedRegex(@"Reply with the number and (\w+),")]
    private static partial Regex CheckInCode();

    private static async Task<(string CaseId, string Carer)> BridgedCaseAsync(EcssHost ecss)
    {
        var carer = MessagingParts.NewPhone();
        var caseId = await ecss.ReferToEcssAsync(call => call["familyContacts"]![0]!["phone"] = carer);
        await ecss.ReplyAsync("hca-01", $"YES {await ecss.OfferCodeAsync(caseId, "hca-01")}");
        await ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        return (caseId, carer);
    }

    private static async Task<IReadOnlyList<OutboxEntry>> OutboxAsync(EcssHost ecss, string caseId) =>
        await ecss.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(1000, tag: caseId);

    private static async Task<string> CheckInCodeAsync(EcssHost ecss, string caseId, string carer, int nth)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var asked = (await OutboxAsync(ecss, caseId)).Where(m => m.To == carer && m.Message.Contains("checking in on you")).ToList();
            if (asked.Count >= nth) return CheckInCode().Match(asked.OrderBy(m => m.SentAt).ElementAt(nth - 1).Message).Groups[1].Value;
            await Task.Delay(250);
        }
        throw new TimeoutException($"Check-in {nth} was never texted to the carer of {caseId}.");
    }

    private static async Task TextAsync(EcssHost ecss, string from, string text) =>
        (await ecss.Host.Client.PostAsync("/api/sms/inbound", new StringContent(SmsReceivedEvent.From(from, text), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();

    [Fact]
    public async Task ALowScoreOrHelpFromTheCarerReachesTheCoordinatorWithTheCase()
    {
        await using var ecss = await EcssHost.StartAsync(Fast);
        var (caseId, carer) = await BridgedCaseAsync(ecss);

        await TextAsync(ecss, carer, $"4 {await CheckInCodeAsync(ecss, caseId, carer, 1)}");
        var coping = await ecss.WaitForCaseAsync(caseId, c => Has(c, "carer-check-in-reply"));
        await TextAsync(ecss, carer, $"help {await CheckInCodeAsync(ecss, caseId, carer, 2)}");
        var struggling = await ecss.WaitForCaseAsync(caseId, c => Has(c, "carer-check-in-reply", 2));

        var replies = struggling["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "carer-check-in-reply")
            .Select(e => e!["summary"]!.GetValue<string>()).ToList();
        replies[0].Should().Contain("replied 4 of 5").And.NotContain("coordinator");
        replies[1].Should().Contain("HELP").And.Contain("The coordinator has been sent an SMS");
        var alerts = (await OutboxAsync(ecss, caseId)).Where(m => m.To == Coordinator && m.Message.Contains("wellbeing check-in")).ToList();
        alerts.Should().ContainSingle("a 4 is coping; only the HELP is an alert")
            .Which.Message.Should().Contain(CaseActivities.ShortId(caseId)).And.Contain("HELP");
        (await OutboxAsync(ecss, caseId)).Where(m => m.To == carer).Should().AllSatisfy(m => m.Message.Should().NotContain("Ashworth"));
        Has(coping, "carer-check-in-reply").Should().BeTrue();
        await Replay.RecordedHistories.SaveAsync(ecss.Host, CarerCheckInWorkflow.InstanceId(caseId), "carer-check-in-after-help");
    }

    [Fact]
    public async Task ALateLowScoreStillReachesTheCoordinatorAndTheCarerIsToldWhereHelpIs()
    {
        await using var ecss = await EcssHost.StartAsync(Fast);
        var (caseId, carer) = await BridgedCaseAsync(ecss);
        var code = await CheckInCodeAsync(ecss, caseId, carer, 1);
        await ecss.WaitForCaseAsync(caseId, c => Has(c, "carer-check-in-unanswered"));

        await TextAsync(ecss, carer, $"1 {code}");

        var sink = ecss.Services.GetRequiredService<LocalSmsSink>();
        bool Alerted(OutboxEntry m) => m.Message.Contains(CaseActivities.ShortId(caseId)) && m.Message.Contains("1 of 5");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(await sink.OutboxAsync(1000, to: Coordinator)).Any(Alerted)) await Task.Delay(250);
        (await sink.OutboxAsync(1000, to: Coordinator)).Any(Alerted).Should().BeTrue("a late 1 is still a carer struggling");
        var texts = await sink.OutboxAsync(1000, to: carer);
        texts.Should().Contain(m => m.To == carer && m.Message.Contains("check-in has closed") && m.Message.Contains("call 111"));
    }

    [Fact]
    public async Task ACarerWhoSaidStopIsNotAskedAgain()
    {
        await using var ecss = await EcssHost.StartAsync(Fast);
        var (caseId, carer) = await BridgedCaseAsync(ecss);
        await CheckInCodeAsync(ecss, caseId, carer, 1);

        await TextAsync(ecss, carer, "STOP");
        var c = await ecss.WaitForCaseAsync(caseId, c => Count(c, "carer-check-in") >= 2, seconds: 90);

        c["timeline"]!.AsArray().Last(e => e!["kind"]!.GetValue<string>() == "carer-check-in")!["summary"]!.GetValue<string>()
            .Should().Contain("replied STOP");
        (await OutboxAsync(ecss, caseId)).Count(m => m.To == carer && m.Message.Contains("checking in on you")).Should().Be(1);
    }

    [Fact]
    public void CheckInsFollowTheCaseFromBridgingToCareInPlaceAndStopAtADeath()
    {
        var t0 = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
        var start = new CarerCheckInStart("case-x", new CarerCheckInTimings(TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(7), TimeSpan.FromDays(1)),
            new CaseTimings(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)));

        CarerCheckInWorkflow.Next(new("awaiting-hca", null, null, null), start, t0).Should().Be((t0.AddHours(6), false), "not bridging yet: look again");
        CarerCheckInWorkflow.Next(new("bridging", t0, null, null), start, t0).Should().Be((t0.AddDays(2), false));
        CarerCheckInWorkflow.Next(new("bridging", t0, null, null), start with { Asked = 1, LastAskedAt = t0.AddDays(2) }, t0).Should().Be((t0.AddDays(9), false));
        CarerCheckInWorkflow.Next(new("closed", t0, "package", t0.AddDays(3)), start, t0).Should().Be((t0.AddDays(10), true));
        CarerCheckInWorkflow.Next(new("closed", t0, "package", t0.AddDays(3)), start with { AskedAfterCare = true }, t0).Should().BeNull();
        CarerCheckInWorkflow.Next(new("closed", t0, "died", t0.AddDays(3)), start, t0).Should().BeNull("a bereaved family gets the follow-ups, not check-ins");
    }

    [Fact]
    public void ACheckInDueAtNightGoesAtTheStartOfTheNextDaytimeHoursInUkTime()
    {
        // Bridging from 23:30 UK time on a summer night (BST, UTC+1): two days on is 23:30 again.
        var since = new DateTimeOffset(2026, 7, 6, 22, 30, 0, TimeSpan.Zero);
        var timings = new CarerCheckInTimings(TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromHours(30), TimeSpan.FromDays(1),
            TimeSpan.FromHours(10), TimeSpan.FromHours(18));
        var start = new CarerCheckInStart("case-x", timings, new CaseTimings(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)));

        CarerCheckInWorkflow.Next(new("bridging", since, null, null), start, since)
            .Should().Be((new DateTimeOffset(2026, 7, 9, 9, 0, 0, TimeSpan.Zero), false), "10:00 BST the next morning");
        var at = new DateTimeOffset(2026, 7, 9, 9, 0, 0, TimeSpan.Zero);
        CarerCheckInWorkflow.Next(new("bridging", since, null, null), start with { Asked = 1, LastAskedAt = at }, at)
            .Should().Be((at.AddDays(7), false), "a check-in at 10:00 falls in the hours a week on");
        // Care in place at 05:00 UK time in winter (GMT): 30 hours on is 11:00 the next day, in the hours; 14:00 + 30 h is 20:00, after them.
        CarerCheckInWorkflow.Next(new("closed", since, "package", new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero)), start, since)
            .Should().Be((new DateTimeOffset(2026, 12, 2, 11, 0, 0, TimeSpan.Zero), true));
        CarerCheckInWorkflow.Next(new("closed", since, "package", new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero)), start, since)
            .Should().Be((new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero), true));
        new CarerCheckInTimings(TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(7), TimeSpan.FromDays(1))
            .InDaytime(since).Should().Be(since, "a case started before the hours were set keeps the times its history recorded");
    }
}
