using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Browser;

/// <summary>An ECSS HCA on a phone: their case from an accepted offer, and a visit recorded in a few taps.</summary>
public sealed partial class HcaTodayPageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    [GeneratedRegex(@"Reply YES (\w+)")]
    private static partial Regex OfferCode();

    [GeneratedRegex(@"(http://\S+/api/pages/hca\.html\?offer=[a-z2-7]+)$")]
    private static partial Regex OfferLink();

    /// <summary>A 111 call triaged to ECSS and accepted by the HCA offered it, by SMS; returns the case and the HCA's id.</summary>
    private async Task<(string CaseId, string HcaId, JsonNode Call)> AcceptedCaseAsync()
    {
        var (caseId, hcaId, call) = await OfferedCaseAsync();
        var (phone, code) = await OfferAsync(caseId);
        await ReplyAsync(phone, $"YES {code}");
        await web.Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "bridging" && c["assignedHca"]?.GetValue<string>() == hcaId);
        return (caseId, hcaId, call);
    }

    /// <summary>A 111 call triaged to ECSS, once its first offer is out; returns the case and the HCA offered it.</summary>
    private async Task<(string CaseId, string HcaId, JsonNode Call)> OfferedCaseAsync()
    {
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", "breathless-syringe-driver.json")))!;
        call["callId"] = $"111-hca-{Guid.NewGuid():N}";
        call["receivedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz");
        call["patient"]!["name"] = "Dorothy Hale";
        var r = await web.Host.PostCallAsync(call.ToJsonString());
        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var caseId = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["caseId"]!.GetValue<string>();
        await web.Host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));
        (await web.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
            """{"outcome":"ecss","notes":"Daughter exhausted; needs personal care tonight"}""")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var offered = await web.Host.WaitForCaseAsync(caseId, c => c["ecss"]?["dispatch"]?["offeredTo"] is not null);
        return (caseId, offered["ecss"]!["dispatch"]!["offeredTo"]!.GetValue<string>(), call);
    }

    /// <summary>The offer text the local SMS sink took for the case: who it went to and the reply code.</summary>
    private async Task<(string Phone, string Code)> OfferAsync(string caseId) => await OfferTextAsync(caseId, OfferCode());

    /// <summary>The offer text the local SMS sink took for the case: who it went to and the first match of <paramref name="find"/>.</summary>
    private async Task<(string Phone, string Found)> OfferTextAsync(string caseId, Regex find)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var outbox = JsonNode.Parse(await web.Host.Client.GetStringAsync($"/api/dev/sms/outbox?tag={caseId}"))!.AsArray();
            foreach (var m in outbox)
                if (find.Match(m!["message"]!.GetValue<string>()) is { Success: true } match)
                    return (m["to"]!.GetValue<string>(), match.Groups[1].Value);
        }
        throw new TimeoutException($"No offer SMS for case {caseId}:\n{web.Host.Output}");
    }

    /// <summary>An HCA's reply, as ACS delivers it through Event Grid.</summary>
    private async Task ReplyAsync(string from, string text)
    {
        (await web.Host.Client.PostAsync("/api/sms/inbound", new StringContent(SmsReceivedEvent.From(from, text), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task HcaSeesTheirCaseAndRecordsAVisitOnAPhone()
    {
        var (caseId, hcaId, call) = await AcceptedCaseAsync();
        var page = await web.SignedInPageAsync("hca", hcaId, phone: true);

        await web.OpenAsync(page, "hca.html");

        var card = page.Locator($"section[data-case-id='{caseId}']");
        await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Dorothy Hale" })).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator(".address")).ToHaveTextAsync($"{call["patient"]!["address"]}, {call["patient"]!["postcode"]}");
        await Assertions.Expect(card).ToContainTextAsync("Family: Claire (daughter)");
        await Assertions.Expect(card).ToContainTextAsync("+447700900789");
        await card.GetByLabel("Personal care").CheckAsync();
        await card.GetByLabel("Emotional support").CheckAsync();
        await card.GetByLabel("Notes").FillAsync("Washed and repositioned; daughter reassured.");
        await Chromium.ScreenshotAsync(page, "hca-today");
        await card.GetByRole(AriaRole.Button, new() { Name = "Save visit" }).ClickAsync();

        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit recorded");
        await web.Host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "visit"));
        await card.GetByRole(AriaRole.Link, new() { Name = "Case timeline" }).ClickAsync();
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("personal-care, emotional-support. Washed and repositioned; daughter reassured.");
    }

    /// <summary>
    /// An HCA whose phone is not signed in taps the link in the offer text: they sign in, come back to the offer, and
    /// accept it with one tap; the case is theirs as if they had replied YES.
    /// </summary>
    [Fact]
    public async Task HcaAcceptsAnOfferFromTheLinkInTheTextOnAPhone()
    {
        var (caseId, hcaId, call) = await OfferedCaseAsync();
        var (_, link) = await OfferTextAsync(caseId, OfferLink());
        var page = await web.NewPageAsync(phone: true);

        await page.GotoAsync(link, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.WaitForURLAsync(u => u.Contains("sign-in.html"), new() { WaitUntil = WaitUntilState.Commit });
        await BrowserHost.SignInAsync(page, "hca", hcaId);

        page.Url.Should().Be(link, "signing in comes back to the offer the link opened");
        var offer = page.GetByRole(AriaRole.Region, new() { Name = $"Can you go? A crisis visit near {call["patient"]!["postcode"]}" });
        await Assertions.Expect(offer).ToBeFocusedAsync();
        await Assertions.Expect(offer).Not.ToContainTextAsync(call["patient"]!["address"]!.GetValue<string>());
        await Chromium.ScreenshotAsync(page, "hca-offer-link");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Accept", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The visit is yours");
        var card = page.Locator($"section[data-case-id='{caseId}']");
        await Assertions.Expect(card.Locator(".address")).ToHaveTextAsync($"{call["patient"]!["address"]}, {call["patient"]!["postcode"]}");
        var c = await web.Host.WaitForCaseAsync(caseId, c => c["assignedHca"]?.GetValue<string>() == hcaId);
        c["timeline"]!.AsArray().Select(e => e!["summary"]!.GetValue<string>()).Should().Contain(s => s.EndsWith("accepted the offer from the link in the text."));
    }

    [Fact]
    public async Task AnotherHcaDoesNotSeeTheCase()
    {
        var (caseId, hcaId, _) = await AcceptedCaseAsync();

        // Another HCA in the seeded pool, never the one who accepted.
        var other = hcaId == "hca-01" ? "hca-02" : "hca-01";
        var r = await web.Host.SendAsStaffAsync(HttpMethod.Get, "/api/ecss/my-cases", "hca", userId: other);

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        var mine = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        mine["hcaId"]!.GetValue<string>().Should().Be(other);
        mine["cases"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()).Should().NotContain(caseId);
    }
}
