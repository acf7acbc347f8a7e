using System.Net;
using System.Text.Json.Nodes;
using Workflows.Messaging;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Ecss;

/// <summary>
/// An HCA answering an offer from the link in its text, signed in on the HCA page, under the rules of a YES by text:
/// one answer wins (two taps, or a tap and a text at once), an offer that moved on is refused with a clear message,
/// only the HCA it went to may answer, and the dispatch, timeline and texts are the ones a reply makes.
/// </summary>
public sealed class OfferLinkTests : IAsyncLifetime
{
    private EcssHost _ecss = null!;

    public async Task InitializeAsync() => _ecss = await EcssHost.StartAsync();

    public async Task DisposeAsync() => await _ecss.DisposeAsync();

    private async Task<JsonNode> OfferAsync(string offerId, string hcaId)
    {
        var r = await _ecss.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/ecss/offers/{offerId}", "hca", userId: hcaId);
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task HcaAcceptsFromTheLinkInTheOfferTextAsIfTheyHadRepliedYes()
    {
        var caseId = await _ecss.ReferToEcssAsync();
        var offerId = await _ecss.OfferLinkAsync(caseId, "hca-01");
        var code = await _ecss.OfferCodeAsync(caseId, "hca-01");

        offerId.Should().HaveLength(ReplyCodes.LinkIdLength).And.NotContainEquivalentOf(code).And.NotContain(caseId[5..11]);
        var open = await OfferAsync(offerId, "hca-01");
        open["caseId"]!.GetValue<string>().Should().Be(caseId);
        open["postcode"]!.GetValue<string>().Should().Be("DE22 3NE");
        (open["state"]!.GetValue<string>(), open["outcome"]!.GetValue<string>()).Should().Be(("open", "offered"));
        var mine = await _ecss.Host.SendAsStaffAsync(HttpMethod.Get, "/api/ecss/my-cases", "hca", userId: "hca-01");
        JsonNode.Parse(await mine.Content.ReadAsStringAsync())!["offers"]!.AsArray()
            .Should().Contain(o => o!["offerId"]!.GetValue<string>() == offerId, "the page answers its list's offers as the link does");

        var accepted = await _ecss.AnswerFromLinkAsync(offerId, "hca-01", "accept");

        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var c = await _ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging" && Has(c, "hca-assigned"));
        AssignedHca(c).Should().Be("hca-01");
        c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "hca-accepted")!["summary"]!.GetValue<string>()
            .Should().Be("Amira Khan accepted the offer from the link in the text.");
        (await _ecss.TextsAsync(caseId)).Should().ContainSingle(t => t.To == Phones["hca-01"] && t.Message.Contains("the visit is yours"));
        var settled = await OfferAsync(offerId, "hca-01");
        (settled["answer"]!.GetValue<string>(), settled["outcome"]!.GetValue<string>()).Should().Be(("accept", "accepted"));
        // A YES by text afterwards changes nothing: the offer's one answer is taken.
        await _ecss.ReplyAsync("hca-01", $"YES {code}");
        (await _ecss.AnswerFromLinkAsync(offerId, "hca-01", "accept")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TwoTapsOnTheLinkAtOnceAreOneAcceptance()
    {
        var caseId = await _ecss.ReferToEcssAsync();
        var offerId = await _ecss.OfferLinkAsync(caseId, "hca-01");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _ecss.AnswerFromLinkAsync(offerId, "hca-01", "accept")));

        answers.Select(a => a.StatusCode).Should().ContainSingle(s => s == HttpStatusCode.Accepted);
        answers.Where(a => a.StatusCode != HttpStatusCode.Accepted).Should().OnlyContain(a => a.StatusCode == HttpStatusCode.Conflict);
        var refused = JsonNode.Parse(await answers.First(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync())!;
        refused["detail"]!.GetValue<string>().Should().Be("You have already accepted this offer. The case shows on this page once it is yours.");
        await _ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        // A later event (a visit) flushes the orchestration's queue, so a stray second acceptance would have shown by then.
        (await _ecss.RecordVisitAsync(caseId, "hca-01", DateTimeOffset.UtcNow.AddMinutes(-50), ["personal-care"])).StatusCode.Should().Be(HttpStatusCode.Created);
        var c = await _ecss.WaitForCaseAsync(caseId, c => Has(c, "visit"));
        Count(c, "hca-accepted").Should().Be(1);
        Count(c, "hca-assigned").Should().Be(1);
        (await _ecss.TextsAsync(caseId)).GroupBy(t => (t.To, t.Message)).Should().OnlyContain(g => g.Count() == 1, "nobody is texted the same thing twice");
    }

    [Fact]
    public async Task AYesByTextAndATapOnTheLinkAtOnceAreOneAcceptance()
    {
        var caseId = await _ecss.ReferToEcssAsync();
        var offerId = await _ecss.OfferLinkAsync(caseId, "hca-01");
        var code = await _ecss.OfferCodeAsync(caseId, "hca-01");

        // The inbox is what POST /api/sms/inbound hands a text to; it says whether the text was the answer applied.
        var text = _ecss.Services.GetRequiredService<SmsInbox>().ReceiveAsync(
            new InboundSms($"Incoming_{Guid.NewGuid():N}", Phones["hca-01"], $"YES {code}", DateTimeOffset.UtcNow),
            _ecss.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>());
        var tap = _ecss.AnswerFromLinkAsync(offerId, "hca-01", "accept");
        await Task.WhenAll(text, tap);

        (await tap).StatusCode.Should().BeOneOf(HttpStatusCode.Accepted, HttpStatusCode.Conflict);
        ((await tap).StatusCode == HttpStatusCode.Accepted).Should().Be(await text != InboundOutcome.Applied, "one of the two answers is applied, never both");
        await _ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        (await _ecss.RecordVisitAsync(caseId, "hca-01", DateTimeOffset.UtcNow.AddMinutes(-50), ["personal-care"])).StatusCode.Should().Be(HttpStatusCode.Created);
        var c = await _ecss.WaitForCaseAsync(caseId, c => Has(c, "visit"));
        Count(c, "hca-accepted").Should().Be(1);
        var summary = c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "hca-accepted")!["summary"]!.GetValue<string>();
        summary.Should().Be((await tap).StatusCode == HttpStatusCode.Accepted
            ? "Amira Khan accepted the offer from the link in the text." : "Amira Khan accepted the offer.", "the answer that won is the one recorded");
        (await _ecss.TextsAsync(caseId)).Should().ContainSingle(t => t.To == Phones["hca-01"] && t.Message.Contains("the visit is yours"));
    }

    [Fact]
    public async Task AnotherHcaCannotAnswerAnOfferFromItsLink()
    {
        var caseId = await _ecss.ReferToEcssAsync();
        var offerId = await _ecss.OfferLinkAsync(caseId, "hca-01");

        var forwarded = await _ecss.AnswerFromLinkAsync(offerId, "hca-04", "accept");
        var read = await _ecss.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/ecss/offers/{offerId}", "hca", userId: "hca-04");

        forwarded.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await forwarded.Content.ReadAsStringAsync()).Should().Contain("sent to another HCA").And.NotContain("DE22").And.NotContain(caseId);
        read.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await OfferAsync(offerId, "hca-01"))["state"]!.GetValue<string>().Should().Be("open", "the refused tap answered nothing");
        (await _ecss.AnswerFromLinkAsync(offerId, "hca-01", "accept")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        AssignedHca(await _ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging")).Should().Be("hca-01");
    }

    [Fact]
    public async Task ADeclineFromTheLinkMovesTheOfferToTheNextHca()
    {
        var caseId = await _ecss.ReferToEcssAsync();

        (await _ecss.AnswerFromLinkAsync(await _ecss.OfferLinkAsync(caseId, "hca-01"), "hca-01", "decline")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var second = await _ecss.OfferLinkAsync(caseId, "hca-04");
        (await _ecss.AnswerFromLinkAsync(second, "hca-04", "accept")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var c = await _ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging" && Has(c, "hca-assigned"));
        AssignedHca(c).Should().Be("hca-04");
        c["ecss"]!["dispatch"]!["offers"]!.AsArray().Select(o => o!["outcome"]!.GetValue<string>()).Should().Equal("declined", "accepted");
        Kinds(c).Should().ContainInOrder("hca-offered", "offer-declined", "hca-offered", "hca-accepted", "hca-assigned");
        c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "offer-declined")!["summary"]!.GetValue<string>()
            .Should().Be("Amira Khan declined from the link in the text.");
    }
}

/// <summary>An offer's link tapped after the offer moved on, on a host whose offers time out in seconds.</summary>
public sealed class OfferLinkExpiryTests
{
    [Fact]
    public async Task AnOfferThatMovedOnIsRefusedWithAClearMessage()
    {
        // Offers that time out in 3 seconds: the first has moved on to the next HCA by the time its link is tapped.
        await using var ecss = await EcssHost.StartAsync(new Dictionary<string, string?> { ["Ecss:OfferTimeoutMinutes"] = "0.05" });
        var caseId = await ecss.ReferToEcssAsync();
        var offerId = await ecss.OfferLinkAsync(caseId, "hca-01");
        await ecss.OfferLinkAsync(caseId, "hca-04");

        var late = await ecss.AnswerFromLinkAsync(offerId, "hca-01", "accept");

        late.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = JsonNode.Parse(await late.Content.ReadAsStringAsync())!;
        problem["title"]!.GetValue<string>().Should().BeOneOf("Offer expired", "Offer closed");
        problem["detail"]!.GetValue<string>().Should().ContainEquivalentOf("nothing more to do");
        var offer = await ecss.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/ecss/offers/{offerId}", "hca", userId: "hca-01");
        JsonNode.Parse(await offer.Content.ReadAsStringAsync())!["state"]!.GetValue<string>().Should().BeOneOf("expired", "closed");
        var c = await ecss.WaitForCaseAsync(caseId, c => Has(c, "offer-unanswered"));
        Kinds(c).Should().NotContain("hca-accepted");
    }
}
