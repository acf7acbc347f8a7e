using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Ecss;
using Workflows.Messaging;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Ecss;

/// <summary>Finding an on-call HCA by SMS, on the real durable engine over Azurite, with replies through POST /api/sms/inbound.</summary>
public sealed class EcssDispatchFlowTests
{
    [Fact]
    public async Task DeclinedOfferMovesToTheNextHcaWhoAccepts()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await ecss.ReferToEcssAsync();

        var first = await ecss.OfferCodeAsync(caseId, "hca-01");
        await ecss.ReplyAsync("hca-01", $"NO {first}");
        var second = await ecss.OfferCodeAsync(caseId, "hca-04");
        await ecss.ReplyAsync("hca-04", $"YES {second}");

        // The family's "on the way" text is the last step of the assignment, written just after bridging starts.
        var c = await ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging" && Kinds(c).Count(k => k == "family-updated") == 2);
        AssignedHca(c).Should().Be("hca-04");
        c["ecss"]!["hca"]!["name"]!.GetValue<string>().Should().Be("Dev Patel");
        c["ecss"]!["dispatch"]!["offers"]!.AsArray().Select(o => o!["outcome"]!.GetValue<string>()).Should().Equal("declined", "accepted");
        Kinds(c).Should().ContainInOrder("triaged", "family-updated", "dispatch-round", "hca-offered", "offer-declined",
            "hca-offered", "hca-accepted", "hca-assigned", "family-updated");
        var texts = await ecss.TextsAsync(caseId);
        texts.Should().Contain(t => t.To == Phones["hca-04"] && t.Message.Contains("the visit is yours"));
        texts.Where(t => t.To == "+447700900789").Select(t => t.Message).Should()
            .Contain(m => m.Contains("reviewed the call")).And.Contain(m => m.Contains("on the way") && m.Contains("arrive at about"));
        texts.Should().NotContain(t => t.To == "+447700900790", "the son did not consent to texts");
        texts.Should().NotContain(t => t.Message.Contains("Ashworth") || t.Message.Contains("Kedleston") || t.Message.Contains("syringe"));
        await Replay.RecordedHistories.SaveAsync(ecss.Host, HcaDispatchWorkflow.InstanceId(caseId, 1), "hca-dispatch-declined-then-accepted");
    }

    [Fact]
    public async Task UndeliveredOfferMovesToTheNextHca()
    {
        await using var ecss = await EcssHost.StartAsync();
        var caseId = await ecss.ReferToEcssAsync();
        var code = await ecss.OfferCodeAsync(caseId, "hca-01");

        // What messaging raises on the offer's NotifyOnFailure route when ACS reports the text failed.
        var client = ecss.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
        await client.RaiseEventAsync(HcaDispatchWorkflow.InstanceId(caseId, 1), HcaDispatchWorkflow.ReplyEvent,
            new SmsReply(code, SmsAnswers.Undelivered, Phones["hca-01"], DateTimeOffset.UtcNow));

        await ecss.OfferCodeAsync(caseId, "hca-04");
        var c = await ecss.WaitForCaseAsync(caseId, c => Has(c, "offer-undelivered"));
        AssignedHca(c).Should().BeNull();
    }

    [Fact]
    public async Task UnansweredOffersEscalateToTheCoordinatorAndAreOfferedAgain()
    {
        await using var ecss = await EcssHost.StartAsync(new Dictionary<string, string?>
        {
            ["Ecss:OfferTimeoutMinutes"] = "0.05", ["Ecss:RetryIntervalMinutes"] = "0.1",
        });
        var caseId = await ecss.ReferToEcssAsync();
        var firstCode = await ecss.OfferCodeAsync(caseId, "hca-01");

        var c = await ecss.WaitForCaseAsync(caseId, c => Has(c, "dispatch-round", 2));

        Count(c, "offer-unanswered").Should().BeGreaterThanOrEqualTo(3);
        Kinds(c).Should().ContainInOrder("offer-unanswered", "offer-unanswered", "offer-unanswered", "dispatch-unfilled", "dispatch-round");
        (await ecss.TextsAsync(caseId)).Should().Contain(t => t.To == Coordinator && t.Message.Contains("no HCA has accepted"));

        // A YES after the offer moved on is answered politely and changes nothing.
        await ecss.ReplyAsync("hca-01", $"YES {firstCode}");
        var sink = ecss.Services.GetRequiredService<LocalSmsSink>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await sink.OutboxAsync(take: 1000, to: Phones["hca-01"])).Any(t => t.Message.Contains(firstCode) && t.Message.Contains("covered"))
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        (await sink.OutboxAsync(take: 1000, to: Phones["hca-01"])).Should().Contain(t => t.Message.Contains(firstCode) && t.Message.Contains("covered"));

        // The coordinator closes the case: the dispatch stops and nobody is assigned.
        var close = await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator",
            new { reason = "admitted", notes = "Admitted to the hospice" });
        close.StatusCode.Should().Be(HttpStatusCode.Accepted);
        c = await ecss.WaitForCaseAsync(caseId, c => Status(c) == "closed");
        AssignedHca(c).Should().BeNull();
        await Replay.RecordedHistories.SaveAsync(ecss.Host, HcaDispatchWorkflow.InstanceId(caseId, 1), "hca-dispatch-unfilled-round");
        await Replay.RecordedHistories.SaveAsync(ecss.Host, caseId, "crisis-case-ecss-unfilled-round-closed");
    }

    [Fact]
    public async Task TwoCasesAtOnceNeverDoubleBookAnHca()
    {
        await using var ecss = await EcssHost.StartAsync();
        var a = await ecss.ReferToEcssAsync();
        var b = await ecss.ReferToEcssAsync();
        var codeA = await ecss.OfferCodeAsync(a, "hca-01");
        var codeB = await ecss.OfferCodeAsync(b, "hca-01");

        await Task.WhenAll(ecss.ReplyAsync("hca-01", $"YES {codeA}"), ecss.ReplyAsync("hca-01", $"YES {codeB}"));

        var caseA = await ecss.WaitForCaseAsync(a, c => Status(c) == "bridging" || Has(c, "hca-already-attending"));
        var caseB = await ecss.WaitForCaseAsync(b, c => Status(c) == "bridging" || Has(c, "hca-already-attending"));
        new[] { AssignedHca(caseA), AssignedHca(caseB) }.Count(h => h == "hca-01").Should().Be(1);
        var (won, lost) = AssignedHca(caseA) == "hca-01" ? (a, b) : (b, a);

        var next = await ecss.OfferCodeAsync(lost, "hca-04");
        (await ecss.TextsAsync(lost)).Should().Contain(t => t.To == Phones["hca-01"] && t.Message.Contains("already have a case"));
        await ecss.ReplyAsync("hca-04", $"YES {next}");
        var lostCase = await ecss.WaitForCaseAsync(lost, c => Status(c) == "bridging");
        AssignedHca(lostCase).Should().Be("hca-04");
        AssignedHca(await ecss.WaitForCaseAsync(won, c => true)).Should().Be("hca-01");
    }

    [Fact]
    public async Task CoordinatorSetsTomorrowsRosterButNotAShiftThatHasStarted()
    {
        await using var ecss = await EcssHost.StartAsync();
        var tomorrow = Shift.At(DateTimeOffset.UtcNow).Next.Next;
        var path = $"/api/ecss/roster/{tomorrow.Date:yyyy-MM-dd}/{Shift.KindName(tomorrow.Kind)}";

        var set = await ecss.Host.SendAsStaffAsync(HttpMethod.Put, path, "coordinator", new { hcaIds = new[] { "hca-02", "hca-05", "hca-09" } });
        set.StatusCode.Should().Be(HttpStatusCode.OK);
        var roster = await ecss.Host.GetJsonAsStaffAsync(path, "hca");
        roster["source"]!.GetValue<string>().Should().Be("rota");
        roster["hcas"]!.AsArray().Select(h => h!["id"]!.GetValue<string>()).Should().Equal("hca-02", "hca-05", "hca-09");
        roster["pool"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()).Should().Contain(["Amira Khan", "Isla Greaves"],
            "the coordinator chooses from the pool by name");

        var now = Shift.At(DateTimeOffset.UtcNow);
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Put, $"/api/ecss/roster/{now.Date:yyyy-MM-dd}/{Shift.KindName(now.Kind)}", "coordinator",
            new { hcaIds = new[] { "hca-02", "hca-05", "hca-09" } })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Put, path, "hca", new { hcaIds = new[] { "hca-02", "hca-05", "hca-09" } }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var bad = await ecss.Host.SendAsStaffAsync(HttpMethod.Put, path, "coordinator", new { hcaIds = new[] { "hca-02", "hca-99", "hca-02" } });
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("hcaIds");
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Put, $"/api/ecss/roster/{tomorrow.Date:yyyy-MM-dd}/evening", "coordinator",
            new { hcaIds = new[] { "hca-02", "hca-05", "hca-09" } })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var unchanged = await ecss.Host.GetJsonAsStaffAsync(path, "coordinator");
        unchanged["hcas"]!.AsArray().Select(h => h!["id"]!.GetValue<string>()).Should().Equal("hca-02", "hca-05", "hca-09");
    }

    [Fact]
    public async Task FreshRunHasThreeHcasOnEveryShiftFromTheRotaPattern()
    {
        await using var ecss = await EcssHost.StartAsync();
        var shift = Shift.At(DateTimeOffset.UtcNow).Next.Next.Next;
        for (var i = 0; i < 6; i++, shift = shift.Next)
        {
            var on = await ecss.Roster.OnShiftAsync(shift);
            on.Source.Should().Be(Roster.FromPattern);
            on.HcaIds.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        }
    }
}
