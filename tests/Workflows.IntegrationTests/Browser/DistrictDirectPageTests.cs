using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Http;

namespace Workflows.IntegrationTests.Browser;

/// <summary>A District Direct officer decides spend in a real Chromium; the fund bar follows the ledger.</summary>
public sealed partial class DistrictDirectPageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    private const string Officer = "dd-rdh-officer-1";
    private const string OfficerPhone = "+447700900601";

    [GeneratedRegex(@"(http://\S+/api/pages/district-direct\.html\?approval=[a-z2-7]+)$")]
    private static partial Regex ApprovalLink();

    private async Task<JsonNode> SendAsOfficerAsync(HttpMethod method, string path, string? json = null)
    {
        var r = new HttpRequestMessage(method, path);
        r.Headers.Add(StaffPrincipal.Header, StaffPrincipal.Encode(Officer, "Amira Hussain", "dd-officer"));
        if (json is not null) r.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await web.Host.Client.SendAsync(r);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonNode.Parse(text)!;
    }

    private async Task<string> ReferralAwaitingApprovalAsync(string name)
    {
        var id = $"RDH-{Guid.NewGuid():N}"[..20];
        var body = new JsonObject
        {
            ["referralId"] = id, ["source"] = "ward", ["hospital"] = "royal-derby",
            ["patient"] = new JsonObject { ["nhsNumber"] = "9434765919", ["name"] = name, ["dateOfBirth"] = "1938-06-14",
                ["address"] = "12 Station Road, Mickleover, Derby", ["postcode"] = "DE3 9GB" },
            ["blockers"] = new JsonArray("clutter", "key-safe"),
            ["fitForDischargeAt"] = DateTimeOffset.UtcNow.AddHours(-3).ToString("yyyy-MM-ddTHH:mm:sszzz"),
        };
        var r = await web.Host.Client.PostAsync("/api/district-direct/referrals", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        r.StatusCode.Should().Be(HttpStatusCode.Accepted, await r.Content.ReadAsStringAsync());
        await SendAsOfficerAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/assessment",
            """{"findings":"Papers block the stairs; no key safe for carers.","spend":[{"item":"Deep clean","amountPence":45000,"supplier":"Derby Clean Co"},{"item":"Key safe fitted","amountPence":8500,"supplier":"Safe Hands Locks"}]}""");
        return id;
    }

    [Fact]
    public async Task OfficerApprovesSpendAndTheFundBarMoves()
    {
        var id = await ReferralAwaitingApprovalAsync("Edith Turner");
        var before = await SendAsOfficerAsync(HttpMethod.Get, "/api/district-direct/fund");
        var page = await web.SignedInPageAsync("dd-officer");
        await web.OpenAsync(page, "district-direct.html");
        var referral = page.Locator($"li[data-referral-id='{id}']");
        await Assertions.Expect(referral).ToContainTextAsync("Edith Turner");
        await Assertions.Expect(page.Locator("[data-fund=committed]")).ToHaveTextAsync(Pounds(before["committedPence"]!.GetValue<long>()));

        await referral.GetByRole(AriaRole.Button, new() { Name = "Approve £450.00" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Approved: Deep clean (£450.00) for Edith Turner");
        var committed = before["committedPence"]!.GetValue<long>() + 45_000;
        await Assertions.Expect(page.Locator("[data-fund=committed]")).ToHaveTextAsync(Pounds(committed));
        await Assertions.Expect(page.Locator("[data-fund=available]")).ToHaveTextAsync(Pounds(before["availablePence"]!.GetValue<long>() - 45_000));
        var after = await SendAsOfficerAsync(HttpMethod.Get, "/api/district-direct/fund");
        after["committedPence"]!.GetValue<long>().Should().Be(committed);
        await Chromium.ScreenshotAsync(page, "district-direct");

        // A rejection needs a reason: the page says so beside the spend and nothing moves.
        var keySafe = referral.Locator("form", new() { HasText = "Key safe fitted" });
        await keySafe.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Assertions.Expect(keySafe.Locator(".error-summary")).ToBeFocusedAsync();
        await keySafe.GetByLabel("Reason (needed to reject) for Key safe fitted").FillAsync("Family will fit their own key safe.");
        await keySafe.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Rejected: Key safe fitted");
        await Assertions.Expect(page.Locator("[data-fund=committed]")).ToHaveTextAsync(Pounds(committed));
    }

    /// <summary>
    /// The officer taps the link in the approval text on a computer nobody is signed in on: they sign in, come back to that
    /// spend request and approve it; it is decided as an APPROVE reply would decide it.
    /// </summary>
    [Fact]
    public async Task OfficerApprovesSpendFromTheLinkInTheText()
    {
        var id = await ReferralAwaitingApprovalAsync("Edith Turner");
        var link = await ApprovalLinkAsync(id, "£450.00");
        var page = await web.NewPageAsync();

        await page.GotoAsync(link, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.WaitForURLAsync(u => u.Contains("sign-in.html"), new() { WaitUntil = WaitUntilState.Commit });
        await BrowserHost.SignInAsync(page, "dd-officer");

        page.Url.Should().Be(link, "signing in comes back to the spend request the link opened");
        var asked = page.GetByRole(AriaRole.Region, new() { Name = "Your decision: Deep clean, £450.00" });
        await Assertions.Expect(asked).ToBeFocusedAsync();
        await Assertions.Expect(asked).ToContainTextAsync($"For Edith Turner, referral {id} at Royal Derby");
        await asked.GetByRole(AriaRole.Button, new() { Name = "Approve £450.00" }).ClickAsync();

        await Assertions.Expect(page.Locator("#approval-asked").GetByRole(AriaRole.Status)).ToContainTextAsync("Approved: Deep clean (£450.00) by Amira Hussain");
        var referral = await SendAsOfficerAsync(HttpMethod.Get, $"/api/district-direct/referrals/{id}");
        var spend = referral["spendRequests"]!.AsArray().Single(s => s!["item"]!.GetValue<string>() == "Deep clean")!;
        (spend["status"]!.GetValue<string>(), spend["decidedVia"]!.GetValue<string>()).Should().Be(("approved", "link"));
    }

    /// <summary>The link in the approval text the officer was sent for the item costing <paramref name="amount"/>.</summary>
    private async Task<string> ApprovalLinkAsync(string referralId, string amount)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var outbox = JsonNode.Parse(await web.Host.Client.GetStringAsync($"/api/dev/sms/outbox?tag=dd-{referralId}"))!.AsArray();
            foreach (var m in outbox)
                if (m!["to"]!.GetValue<string>() == OfficerPhone && m["message"]!.GetValue<string>() is var text && text.Contains(amount) &&
                    ApprovalLink().Match(text) is { Success: true } match)
                    return match.Groups[1].Value;
        }
        throw new TimeoutException($"No approval text for {referralId}:\n{web.Host.Output}");
    }

    private static string Pounds(long pence) => (pence / 100m).ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}
