using System.Net;
using System.Text.Json.Nodes;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Safety;

/// <summary>
/// The local host as its own process on a folder-backed Azurite, killed with SIGKILL while cases wait in several states:
/// after a restart every case is still there and runs to completion, no text goes out twice, and nothing in the logs
/// names the patient. Azurite itself restarted under a running host is survived without anyone stepping in.
/// </summary>
public sealed class KillRestartTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        // The triage target passes while the host is down or just after: the escalation must go out exactly once.
        ["CrisisCare__TriageResponseMinutes"] = "0.5",
        ["CrisisCare__TriageEscalationRepeatMinutes"] = "600",
        ["CrisisCare__CoordinatorPhone"] = "+447700900001",
        // Our own categories at Debug, so the privacy scan sees what an incident-time log level would write.
        ["Logging__LogLevel__Workflows"] = "Debug",
        // A message the killed host had taken comes back after this (5 minutes by default; Azure's default too).
        ["LocalHost__QueueVisibilitySeconds"] = "20",
    };

    private static JsonObject Call(string seed)
    {
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", seed)))!.AsObject();
        call["callId"] = $"111-kill-{Guid.NewGuid():N}";
        call["receivedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz");
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

    private static string Status(JsonNode doc) => doc["status"]!.GetValue<string>();

    [Fact]
    public async Task CasesInEveryWaitingStateSurviveSigkillAndCompleteWithoutDuplicateTexts()
    {
        await using var azurite = await Azurite.StartAsync();
        var hub = "kill" + Guid.NewGuid().ToString("N")[..8];
        var port = Azurite.FreePort();
        var (waiting, decided) = (Call("carer-exhausted-night.json"), Call("breathless-syringe-driver.json"));
        var referral = Referral();
        string waitingId, decidedId, referralId = referral["referralId"]!.GetValue<string>();
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
            await first.WaitForCaseAsync(waitingId, c => Has(c, "case-opened"));
            await first.WaitForCaseAsync(decidedId, c => Has(c, "case-opened"));

            // A decision accepted the instant before the machine dies: the event is stored, the work is not done.
            (await first.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{decidedId}/triage", "anp", """{"outcome":"advice","notes":"Advised on the syringe driver"}"""))
                .StatusCode.Should().Be(HttpStatusCode.Accepted);
            first.Kill();
            firstOutput = first.Output;
        }

        await using var second = await LocalHostProcess.StartAsync(azurite, hub, port, Settings);

        var queue = JsonNode.Parse(await (await second.SendAsStaffAsync(HttpMethod.Get, "/api/triage/queue", "anp")).Content.ReadAsStringAsync())!;
        queue["cases"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()).Should().Contain(waitingId);
        await second.WaitForCaseAsync(decidedId, c => Status(c) == "closed", TimeSpan.FromMinutes(3));
        await second.WaitForCaseAsync(waitingId, c => Has(c, "triage-overdue"), TimeSpan.FromMinutes(3));
        (await second.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{waitingId}/triage", "anp", """{"outcome":"prescription","notes":"Continence products prescribed"}"""))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        var closed = await second.WaitForCaseAsync(waitingId, c => Status(c) == "closed", TimeSpan.FromMinutes(2));

        var spend = (await WaitForReferralAsync(second, referralId, r => r["spendRequests"]!.AsArray().Count == 1))["spendRequests"]![0]!["spendRequestId"]!.GetValue<string>();
        var approved = await second.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend}/decision", "dd-manager", """{"decision":"approve"}""", "dd-rdh-manager");
        approved.StatusCode.Should().Be(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        await WaitForReferralAsync(second, referralId, r => Status(r) == "awaiting-discharge");
        var discharged = await second.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referralId}/discharged", "dd-officer",
            $$"""{"dischargedAt":"{{DateTimeOffset.UtcNow.AddMinutes(-1):yyyy-MM-ddTHH:mm:sszzz}}"}""", "dd-rdh-officer-1");
        discharged.StatusCode.Should().Be(HttpStatusCode.OK, await discharged.Content.ReadAsStringAsync());
        var done = await WaitForReferralAsync(second, referralId, r => Status(r) == "discharged");

        // Opened once each; money approved once. (A step the killed host was in the middle of can be recorded twice on the
        // timeline: see docs/clinical-safety.md, H-LOST-2. Texts, below, are keyed by what they say, not by the step.)
        Count(await second.WaitForCaseAsync(decidedId, _ => true), "case-opened").Should().Be(1);
        Count(closed, "case-opened").Should().Be(1);
        Count(done, "approval-requested").Should().Be(1);
        Count(done, "spend-approved").Should().Be(1);

        // No recipient gets the same text twice; the coordinator got one text per escalation.
        var outbox = JsonNode.Parse(await second.Client.GetStringAsync("/api/dev/sms/outbox"))!.AsArray()
            .Select(m => (To: m!["to"]!.GetValue<string>(), Tag: m["tag"]!.GetValue<string>(), Text: m["message"]!.GetValue<string>())).ToList();
        outbox.Should().NotBeEmpty();
        outbox.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => $"{g.Count()}x to {g.Key.To}: {g.Key.Text}").Should().BeEmpty();
        outbox.Count(m => m.Tag == waitingId && m.To == "+447700900001").Should().Be(Count(closed, "triage-overdue")).And.BeGreaterThan(0);
        outbox.Count(m => m.Tag == $"dd-{referralId}" && m.Text.Contains("APPROVE", StringComparison.Ordinal)).Should().Be(1);

        PrivacyScan.Find(firstOutput + second.Output, waiting, decided, referral).Should().BeEmpty("logs carry ids, never who the patient is");
    }

    [Fact]
    public async Task RunningHostRecoversWhenAzuriteIsRestartedUnderIt()
    {
        var azurite = await Azurite.StartAsync();
        var (location, ports) = (azurite.Location, (azurite.BlobPort, azurite.QueuePort, azurite.TablePort));
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
        (await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{waitingId}/triage", "anp", """{"outcome":"advice","notes":"Carer support arranged"}"""))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);

        await host.WaitForCaseAsync(waitingId, c => Status(c) == "closed", TimeSpan.FromMinutes(3));
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
