using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Browser;

/// <summary>
/// What other people and systems do while a test's person uses the pages: NHS 111 sends a call, an ANP triages by the
/// API, an HCA answers an offer by SMS, a ward refers a patient, an officer records an assessment.
/// </summary>
public static partial class Work
{
    [GeneratedRegex(@"Reply YES (\w+)")]
    private static partial Regex OfferCode();

    /// <summary>A sample call from seeds/calls, made new: its own call id, received at <paramref name="receivedAt"/>, for <paramref name="name"/>.</summary>
    public static JsonNode Call(DateTimeOffset receivedAt, string? name = null, string file = "breathless-syringe-driver.json")
    {
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", file)))!;
        call["callId"] = $"111-pages-{Guid.NewGuid():N}";
        call["receivedAt"] = receivedAt.ToString("yyyy-MM-ddTHH:mm:sszzz");
        if (name is not null) call["patient"]!["name"] = name;
        return call;
    }

    /// <summary>A 111 call the case has started for; returns the case id.</summary>
    public static async Task<string> OpenCaseAsync(this LocalHostProcess host, DateTimeOffset receivedAt, string? name = null, string file = "breathless-syringe-driver.json")
    {
        var r = await host.PostCallAsync(Call(receivedAt, name, file).ToJsonString());
        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var caseId = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["caseId"]!.GetValue<string>();
        await host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));
        return caseId;
    }

    /// <summary>The ANP's decision through the API (body as JSON), as another nurse would make it.</summary>
    public static async Task TriageAsync(this LocalHostProcess host, string caseId, string decision)
    {
        var r = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp", decision);
        r.StatusCode.Should().Be(HttpStatusCode.Accepted, await r.Content.ReadAsStringAsync());
    }

    public static async Task<string> StatusAsync(this LocalHostProcess host, string caseId) =>
        JsonNode.Parse(await (await host.SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}", "coordinator")).Content.ReadAsStringAsync())!
            ["status"]!.GetValue<string>();

    /// <summary>A call triaged to ECSS, once its first offer is out: the case and the HCA offered it.</summary>
    public static async Task<(string CaseId, string HcaId)> OfferedCaseAsync(this LocalHostProcess host, string name)
    {
        var caseId = await host.OpenCaseAsync(DateTimeOffset.UtcNow, name);
        await host.TriageAsync(caseId, """{"outcome":"ecss","notes":"Daughter exhausted; needs personal care tonight"}""");
        var offered = await host.WaitForCaseAsync(caseId, c => c["ecss"]?["dispatch"]?["offeredTo"] is not null);
        return (caseId, offered["ecss"]!["dispatch"]!["offeredTo"]!.GetValue<string>());
    }

    /// <summary>A call triaged to ECSS and accepted by SMS by the HCA offered it: the case and the HCA.</summary>
    public static async Task<(string CaseId, string HcaId)> AcceptedCaseAsync(this LocalHostProcess host, string name)
    {
        var (caseId, hcaId) = await host.OfferedCaseAsync(name);
        await host.AcceptOfferAsync(caseId, hcaId);
        return (caseId, hcaId);
    }

    /// <summary>
    /// Closes a case as the coordinator would, and waits for it: its HCA is free again (a test's host has three HCAs on
    /// shift, and an HCA attends one case at a time).
    /// </summary>
    public static async Task CloseAsync(this LocalHostProcess host, string caseId, string reason = "resolved")
    {
        (await host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", $$"""{"reason":"{{reason}}"}""")).EnsureSuccessStatusCode();
        await host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
    }

    /// <summary>The HCA offered the case replies YES with the code in their offer text; waits until they are its HCA.</summary>
    public static async Task AcceptOfferAsync(this LocalHostProcess host, string caseId, string hcaId)
    {
        var (phone, code) = await host.OfferTextAsync(caseId);
        await host.ReplyAsync(phone, $"YES {code}");
        await host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "bridging" && c["assignedHca"]?.GetValue<string>() == hcaId);
    }

    [GeneratedRegex(@"(http://\S+/api/pages/hca\.html\?offer=[a-z2-7]+)$")]
    private static partial Regex OfferLink();

    /// <summary>The offer text the local SMS sink took for the case: who it went to and the reply code.</summary>
    public static Task<(string Phone, string Code)> OfferTextAsync(this LocalHostProcess host, string caseId) =>
        host.FindInOfferTextAsync(caseId, OfferCode());

    /// <summary>The link in the case's offer text, which opens the HCA page at that offer.</summary>
    public static async Task<string> OfferLinkAsync(this LocalHostProcess host, string caseId) =>
        (await host.FindInOfferTextAsync(caseId, OfferLink())).Found;

    /// <summary>The offer text the local SMS sink took for the case: who it went to and the first match of <paramref name="find"/>.</summary>
    private static async Task<(string Phone, string Found)> FindInOfferTextAsync(this LocalHostProcess host, string caseId, Regex find)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var outbox = JsonNode.Parse(await host.Client.GetStringAsync($"/api/dev/sms/outbox?tag={caseId}"))!.AsArray();
            foreach (var m in outbox)
                if (find.Match(m!["message"]!.GetValue<string>()) is { Success: true } match)
                    return (m["to"]!.GetValue<string>(), match.Groups[1].Value);
        }
        throw new TimeoutException($"No offer SMS for case {caseId}:\n{host.Output}");
    }

    /// <summary>A text from a phone, as ACS delivers it through Event Grid (with the app key, as Event Grid sends its own).</summary>
    public static async Task ReplyAsync(this LocalHostProcess host, string from, string text) =>
        (await host.Client.PostAsync("/api/sms/inbound", new StringContent(SmsReceivedEvent.From(from, text), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();

    /// <summary>A ward's referral of a patient fit for discharge three hours ago; returns its id.</summary>
    public static async Task<string> ReferAsync(this LocalHostProcess host, string name, params string[] blockers)
    {
        var id = $"RDH-{Guid.NewGuid():N}"[..20];
        var body = new JsonObject
        {
            ["referralId"] = id, ["source"] = "ward", ["hospital"] = "royal-derby",
            ["patient"] = new JsonObject { ["nhsNumber"] = "9434765919", ["name"] = name, ["dateOfBirth"] = "1938-06-14",
                ["address"] = "12 Station Road, Mickleover, Derby", ["postcode"] = "DE3 9GB" },
            ["blockers"] = new JsonArray([.. (blockers.Length == 0 ? ["clutter", "key-safe"] : blockers).Select(b => (JsonNode)b)]),
            ["fitForDischargeAt"] = DateTimeOffset.UtcNow.AddHours(-3).ToString("yyyy-MM-ddTHH:mm:sszzz"),
        };
        var r = await host.Client.PostAsync("/api/district-direct/referrals", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        r.StatusCode.Should().Be(HttpStatusCode.Accepted, await r.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>The officer's assessment through the API, with its spend lines (JSON array).</summary>
    public static async Task AssessAsync(this LocalHostProcess host, string referralId, string findings, string spend)
    {
        var body = $$"""{"findings":{{JsonValue.Create(findings).ToJsonString()}},"spend":{{spend}}}""";
        for (var until = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(500))
        {
            // 503 while the referral's orchestration is starting (H18): try again, as a client does.
            var r = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referralId}/assessment", "dd-officer", body);
            if (r.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < until) continue;
            r.StatusCode.Should().Be(HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
            return;
        }
    }

    public static async Task<JsonNode> ReferralAsync(this LocalHostProcess host, string referralId, string role = "dd-officer")
    {
        var r = await host.SendAsStaffAsync(HttpMethod.Get, $"/api/district-direct/referrals/{referralId}", role);
        var text = await r.Content.ReadAsStringAsync();
        r.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> WaitForReferralAsync(this LocalHostProcess host, string referralId, Func<JsonNode, bool> until)
    {
        JsonNode last = null!;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(250))
            if (until(last = await host.ReferralAsync(referralId))) return last;
        throw new TimeoutException($"Referral {referralId} did not reach the expected state; last seen: {last.ToJsonString()}\n{host.Output}");
    }

    public static async Task<JsonNode> FundAsync(this LocalHostProcess host)
    {
        var r = await host.SendAsStaffAsync(HttpMethod.Get, "/api/district-direct/fund", "dd-manager");
        r.EnsureSuccessStatusCode();
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
    }

    public static string Pounds(long pence) => (pence / 100m).ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}
