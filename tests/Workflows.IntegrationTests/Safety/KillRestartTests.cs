using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Safety;

/// <summary>
/// The local host as its own process on a folder-backed Azurite, killed with SIGKILL while cases wait in several states
/// (for triage, mid-decision, for an HCA's reply, bridged with a visit just recorded, for a District Direct approval):
/// after a restart every case is still there and runs to completion, no text goes out twice, no step is on a timeline
/// twice (H17), and nothing in the logs names the patient. Azurite restarted under a running host is survived unaided.
/// </summary>
public sealed partial class KillRestartTests
{
    private const string Coordinator = "+447700900001";

    private static readonly Dictionary<string, string> Settings = new()
    {
        // The triage target passes while the host is down or just after: the escalation must go out exactly once.
        ["CrisisCare__TriageResponseMinutes"] = "0.5",
        ["CrisisCare__TriageEscalationRepeatMinutes"] = "600",
        ["CrisisCare__CoordinatorPhone"] = Coordinator,
        // Long enough that the offer open across the kill is still open after the restart.
        ["Ecss__OfferTimeoutMinutes"] = "30",
        // A bridged case's check-in falls overdue every 72 s, so escalations run across the kill and the restart.
        ["Ecss__CheckInHours"] = "0.02",
        // No shift handover mid-test when it runs across 08:00 or 20:00: the HCAs keep their cases.
        ["LocalHost__HandoverPollSeconds"] = "0",
        // Our own categories at Debug, so the privacy scan sees what an incident-time log level would write.
        ["Logging__LogLevel__Workflows"] = "Debug",
        // A message the killed host had taken comes back after this (5 minutes by default; Azure's default too).
        ["LocalHost__QueueVisibilitySeconds"] = "20",
    };

    /// <summary>A 111 call received <paramref name="minutesAgo"/> before now.</summary>
    private static JsonObject Call(string seed, int minutesAgo = 0)
    {
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", seed)))!.AsObject();
        call["callId"] = $"111-kill-{Guid.NewGuid():N}";
        call["receivedAt"] = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo).ToString("yyyy-MM-ddTHH:mm:sszzz");
        return call;
    }

    private static JsonObject Referral() => new()
    {
        ["referralId"] = $"RDH-kill-{Guid.NewGuid():N}"[..24],
        ["source"] = "ward",
        ["hospital"] = "royal-derby",
        ["patient"] = new JsonObject
        {
            ["nhsNumber"] = "9434765919", ["name"] = "Edith Turner", ["dateOfBirth"] = "1938-06-14",
            ["address"] = "12 Station Road, Mickleover, Derby", ["postcode"] = "DE22 3NE", ["phone"] = "+447700900444",
        },
        ["blockers"] = new JsonArray("clutter"),
        ["fitForDischargeAt"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-ddTHH:mm:sszzz"),
    };

    private static bool Has(JsonNode doc, string kind) => doc["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == kind);

    private static int Count(JsonNode doc, string kind) => doc["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == kind);

    /// <summary>
    /// Escalations that texted the coordinator (triage, check-in, unfilled, over the limit, parked): each text says how
    /// overdue it is, so a re-run step would send a different text and be counted apart.
    /// </summary>
    private static int Texted(JsonNode doc) => doc["timeline"]!.AsArray()
        .Count(e => e!["summary"]!.GetValue<string>().Contains("The coordinator has been sent an SMS.", StringComparison.Ordinal));

    private static string Status(JsonNode doc) => doc["status"]!.GetValue<string>();

    /// <summary>Closed and its timeline row written (the status is set a moment before the row).</summary>
    private static bool Closed(JsonNode c) => Status(c) == "closed" && Has(c, "closed");

    [GeneratedRegex(@"Reply YES (\w+)")]
    private static partial Regex OfferCode();

    /// <summary>Rows that say the same thing twice (kind, actor and summary): a step recorded twice.</summary>
    private static IEnumerable<string> RepeatedSteps(JsonNode doc) => doc["timeline"]!.AsArray()
        .GroupBy(e => (Kind: e!["kind"]!.GetValue<string>(), Actor: e["actor"]!.GetValue<string>(), Summary: e["summary"]!.GetValue<string>()))
        .Where(g => g.Count() > 1).Select(g => $"{g.Count()}x {g.Key.Kind}: {g.Key.Summary}");

    [Fact]
    public async Task CasesInEveryWaitingStateSurviveSigkillAndCompleteWithoutDuplicateTexts()
    {
        await using var azurite = await Azurite.StartAsync();
        var hub = "kill" + Guid.NewGuid().ToString("N")[..8];
        var port = Azurite.FreePort();
        var (waiting, decided) = (Call("carer-exhausted-night.json"), Call("breathless-syringe-driver.json"));
        // The bridged case waited past the triage target before the ANP saw it (as any case does when the test runs slowly):
        // the coordinator is texted about it for that as well as for its overdue check-ins.
        var (bridged, offered) = (Call("carer-exhausted-night.json", minutesAgo: 2), Call("pain-uncontrolled-hcp.json"));
        var referral = Referral();
        string waitingId, decidedId, bridgedId, offeredId, bridgedHca, referralId = referral["referralId"]!.GetValue<string>();
        (string Phone, string Code) offer;
        var firstOutput = "";

        await using (var first = await LocalHostProcess.StartAsync(azurite, hub, port, Settings))
        {
            waitingId = await OpenAsync(first, waiting);
            decidedId = await OpenAsync(first, decided);
            (await first.Client.PostAsync("/api/district-direct/referrals", Json(referral))).StatusCode.Should().Be(HttpStatusCode.Accepted);
            await WaitForReferralAsync(first, referralId, r => Has(r, "referral-received"));
            var assessed = await first.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referralId}/assessment", "dd-officer",
                """{"findings":"Papers stacked on the stairs.","spend":[{"item":"House clearance","amountPence":42000,"supplier":"Derby Clear"}]}""",
                "dd-rdh-officer-1");
            assessed.StatusCode.Should().Be(HttpStatusCode.Created, await assessed.Content.ReadAsStringAsync());
            await WaitForReferralAsync(first, referralId, r => Has(r, "approval-requested"));

            // Bridging: an HCA said YES and is on the way. Then a second ECSS case, offered to the next HCA, not yet answered.
            bridgedId = await ReferToEcssAsync(first, bridged, afterOverdue: true);
            var bridgedOffer = await OfferAsync(first, bridgedId);
            await ReplyAsync(first, bridgedOffer.Phone, $"YES {bridgedOffer.Code}");
            bridgedHca = AssignedHca(await first.WaitForCaseAsync(bridgedId, c => Status(c) == "bridging", TimeSpan.FromMinutes(2)));
            offeredId = await ReferToEcssAsync(first, offered);
            offer = await OfferAsync(first, offeredId);
            offer.Phone.Should().NotBe(bridgedOffer.Phone, "an HCA attending a patient is not offered another");
            await first.WaitForCaseAsync(waitingId, c => Has(c, "case-opened"));
            await first.WaitForCaseAsync(decidedId, c => Has(c, "case-opened"));

            // Accepted the instant before the machine dies: the events are stored, the work is not done.
            (await first.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{decidedId}/triage", "anp", """{"outcome":"advice","notes":"Advised on the syringe driver"}"""))
                .StatusCode.Should().Be(HttpStatusCode.Accepted);
            (await VisitAsync(first, bridgedId, bridgedHca, DateTimeOffset.UtcNow.AddMinutes(-50))).StatusCode.Should().Be(HttpStatusCode.Created);
            first.Kill();
            firstOutput = first.Output;
        }

        await using var second = await LocalHostProcess.StartAsync(azurite, hub, port, Settings);

        var queue = JsonNode.Parse(await (await second.SendAsStaffAsync(HttpMethod.Get, "/api/triage/queue", "anp")).Content.ReadAsStringAsync())!;
        queue["cases"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()).Should().Contain(waitingId);

        // The HCA answers the offer they had before the crash; the bridged case carries on with a visit and care in place.
        await ReplyAsync(second, offer.Phone, $"YES {offer.Code}");
        var offeredHca = AssignedHca(await second.WaitForCaseAsync(offeredId, c => Status(c) == "bridging", TimeSpan.FromMinutes(3)));
        (await VisitAsync(second, offeredId, offeredHca, DateTimeOffset.UtcNow.AddMinutes(-45))).StatusCode.Should().Be(HttpStatusCode.Created);
        await second.WaitForCaseAsync(bridgedId, c => Count(c, "visit") == 1 && Has(c, "check-in-overdue"), TimeSpan.FromMinutes(3));
        (await VisitAsync(second, bridgedId, bridgedHca, DateTimeOffset.UtcNow.AddMinutes(-90))).StatusCode.Should().Be(HttpStatusCode.Created);
        await second.WaitForCaseAsync(bridgedId, c => Count(c, "visit") == 2, TimeSpan.FromMinutes(2));
        await second.WaitForCaseAsync(offeredId, c => Count(c, "visit") == 1, TimeSpan.FromMinutes(2));
        foreach (var id in new[] { bridgedId, offeredId })
            (await second.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{id}/package", "coordinator",
                $$"""{"provider":"Peak Home Care","startsAt":"{{DateTimeOffset.UtcNow:O}}"}""")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var decidedDone = await second.WaitForCaseAsync(decidedId, Closed, TimeSpan.FromMinutes(3));
        await second.WaitForCaseAsync(waitingId, c => Has(c, "triage-overdue"), TimeSpan.FromMinutes(3));
        (await second.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{waitingId}/triage", "anp", """{"outcome":"prescription","notes":"Continence products prescribed"}"""))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        var closed = await second.WaitForCaseAsync(waitingId, Closed, TimeSpan.FromMinutes(2));
        var bridgedDone = await second.WaitForCaseAsync(bridgedId, Closed, TimeSpan.FromMinutes(2));
        var offeredDone = await second.WaitForCaseAsync(offeredId, Closed, TimeSpan.FromMinutes(2));

        var spend = (await WaitForReferralAsync(second, referralId, r => r["spendRequests"]!.AsArray().Count == 1))["spendRequests"]![0]!["spendRequestId"]!.GetValue<string>();
        var approved = await second.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend}/decision", "dd-manager", """{"decision":"approve"}""", "dd-rdh-manager");
        approved.StatusCode.Should().Be(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        await WaitForReferralAsync(second, referralId, r => Status(r) == "awaiting-discharge");
        var discharged = await second.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referralId}/discharged", "dd-officer",
            $$"""{"dischargedAt":"{{DateTimeOffset.UtcNow.AddMinutes(-1):yyyy-MM-ddTHH:mm:sszzz}}"}""", "dd-rdh-officer-1");
        discharged.StatusCode.Should().Be(HttpStatusCode.OK, await discharged.Content.ReadAsStringAsync());
        var done = await WaitForReferralAsync(second, referralId, r => Status(r) == "discharged");

        // No step on any timeline twice, the steps the killed host was in the middle of included (H17).
        foreach (var doc in new[] { decidedDone, closed, bridgedDone, offeredDone, done })
            RepeatedSteps(doc).Should().BeEmpty();
        foreach (var c in new[] { decidedDone, closed })
            foreach (var kind in new[] { "case-opened", "triaged", "closed" })
                Count(c, kind).Should().Be(1, $"{kind} happens once in case {c["caseId"]}");
        foreach (var c in new[] { bridgedDone, offeredDone })
            foreach (var kind in new[] { "case-opened", "triaged", "ecss-referred", "dispatch-round", "hca-offered", "hca-accepted", "hca-assigned", "bridging-ended", "closed" })
                Count(c, kind).Should().Be(1, $"{kind} happens once in case {c["caseId"]}");
        Count(bridgedDone, "visit").Should().Be(2);
        Count(offeredDone, "visit").Should().Be(1);
        foreach (var kind in new[] { "referral-received", "approval-requested", "spend-approved", "approvals-complete" })
            Count(done, kind).Should().Be(1, $"{kind} happens once in the referral");

        // No recipient gets the same text twice: each HCA one offer per case, the coordinator one text per escalation that says it texted them.
        var outbox = JsonNode.Parse(await second.Client.GetStringAsync("/api/dev/sms/outbox"))!.AsArray()
            .Select(m => (To: m!["to"]!.GetValue<string>(), Tag: m["tag"]!.GetValue<string>(), Text: m["message"]!.GetValue<string>())).ToList();
        outbox.Should().NotBeEmpty();
        outbox.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => $"{g.Count()}x to {g.Key.To}: {g.Key.Text}").Should().BeEmpty();
        foreach (var c in new[] { decidedDone, closed, bridgedDone, offeredDone })
        {
            var id = c["caseId"]!.GetValue<string>();
            outbox.Count(m => m.Tag == id && m.To == Coordinator).Should().Be(Texted(c), $"one text per escalation of case {id}");
        }
        Count(closed, "triage-overdue").Should().BeGreaterThan(0);
        Count(bridgedDone, "triage-overdue").Should().Be(1);
        outbox.Count(m => m.Tag == $"dd-{referralId}" && m.Text.Contains("APPROVE", StringComparison.Ordinal)).Should().Be(1);
        foreach (var c in new[] { bridgedDone, offeredDone })
        {
            var id = c["caseId"]!.GetValue<string>();
            outbox.Count(m => m.Tag == id && OfferCode().IsMatch(m.Text)).Should().Be(1, $"one HCA was offered case {id}, once");
        }
        Count(bridgedDone, "check-in-overdue").Should().BeGreaterThan(0, "the bridged case's check-in fell overdue during the test");

        PrivacyScan.Find(firstOutput + second.Output, waiting, decided, bridged, offered, referral).Should().BeEmpty("logs carry ids, never who the patient is");
    }

    [Fact]
    public async Task RunningHostRecoversWhenAzuriteIsRestartedUnderIt()
    {
        var azurite = await Azurite.StartAsync();
        var (location, ports) = (azurite.Location, (azurite.BlobPort!.Value, azurite.QueuePort, azurite.TablePort));
        await using var host = await LocalHostProcess.StartAsync(azurite, "azr" + Guid.NewGuid().ToString("N")[..8], Azurite.FreePort(), Settings);
        var waitingId = await OpenAsync(host, Call("carer-exhausted-night.json"));
        await host.WaitForCaseAsync(waitingId, c => Has(c, "case-opened"));

        // Stopped, not SIGKILLed: Azurite keeps its tables in memory and saves them every few seconds, so a SIGKILL can
        // lose writes it acknowledged, which Azure Storage never does. The host still sees storage vanish under it.
        await azurite.StopAsync();
        await azurite.DisposeAsync();
        await using var restarted = await Azurite.StartAsync(location, ports);

        var next = await host.PostCallAsync(Call("breathless-syringe-driver.json").ToJsonString());
        next.StatusCode.Should().Be(HttpStatusCode.Accepted, await next.Content.ReadAsStringAsync());
        var nextId = JsonNode.Parse(await next.Content.ReadAsStringAsync())!["caseId"]!.GetValue<string>();
        // Storage went away under the case's first episode: until the engine has run it again, triage answers 503 (H18).
        (await host.DecideAsStaffAsync($"/api/cases/{waitingId}/triage", "anp", """{"outcome":"advice","notes":"Carer support arranged"}""", TimeSpan.FromSeconds(90)))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);

        await host.WaitForCaseAsync(waitingId, Closed, TimeSpan.FromMinutes(3));
        await host.WaitForCaseAsync(nextId, c => Has(c, "case-opened"), TimeSpan.FromMinutes(3));
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static async Task<string> OpenAsync(LocalHostProcess host, JsonObject call)
    {
        var r = await host.PostCallAsync(call.ToJsonString());
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(HttpStatusCode.Accepted, text);
        return JsonNode.Parse(text)!["caseId"]!.GetValue<string>();
    }

    /// <summary>A 111 call the ANP triages to ECSS (once its triage escalated, if <paramref name="afterOverdue"/>); returns the case id.</summary>
    private static async Task<string> ReferToEcssAsync(LocalHostProcess host, JsonObject call, bool afterOverdue = false)
    {
        var caseId = await OpenAsync(host, call);
        await host.WaitForCaseAsync(caseId, c => Has(c, afterOverdue ? "triage-overdue" : "case-opened"));
        (await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", """{"outcome":"ecss","notes":"Needs personal care tonight"}"""))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        return caseId;
    }

    /// <summary>The offer text the local SMS sink took for the case: who it went to and the reply code.</summary>
    private static async Task<(string Phone, string Code)> OfferAsync(LocalHostProcess host, string caseId)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(2); DateTime.UtcNow < deadline; await Task.Delay(200))
            foreach (var m in JsonNode.Parse(await host.Client.GetStringAsync($"/api/dev/sms/outbox?tag={caseId}"))!.AsArray())
                if (OfferCode().Match(m!["message"]!.GetValue<string>()) is { Success: true } match)
                    return (m["to"]!.GetValue<string>(), match.Groups[1].Value);
        throw new TimeoutException($"No offer SMS for case {caseId}:\n{host.Output}");
    }

    /// <summary>An HCA's text, as ACS delivers it through Event Grid.</summary>
    private static async Task ReplyAsync(LocalHostProcess host, string from, string text) =>
        (await host.Client.PostAsync("/api/sms/inbound", new StringContent(SmsReceivedEvent.From(from, text), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();

    /// <summary>A 40-minute visit by the case's HCA: <paramref name="arrivedAt"/> at least 40 minutes ago (a visit cannot end in the future).</summary>
    private static Task<HttpResponseMessage> VisitAsync(LocalHostProcess host, string caseId, string hcaId, DateTimeOffset arrivedAt) =>
        host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/visits", "hca",
            $$"""{"arrivedAt":"{{arrivedAt:O}}","leftAt":"{{arrivedAt.AddMinutes(40):O}}","care":["personal-care"],"notes":"Washed and settled."}""", hcaId);

    private static string AssignedHca(JsonNode c) => c["assignedHca"]!.GetValue<string>();

    private static async Task<JsonNode> WaitForReferralAsync(LocalHostProcess host, string referralId, Func<JsonNode, bool> until)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var r = await host.SendAsStaffAsync(HttpMethod.Get, $"/api/district-direct/referrals/{referralId}", "dd-manager");
            if (r.IsSuccessStatusCode && until(last = JsonNode.Parse(await r.Content.ReadAsStringAsync())!)) return last;
            await Task.Delay(200);
        }
        throw new TimeoutException($"Referral {referralId} did not reach the expected state; last seen: {last?.ToJsonString()}\n{host.Output}");
    }
}
