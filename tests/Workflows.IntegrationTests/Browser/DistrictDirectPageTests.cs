using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Workflows.IntegrationTests.Browser.Work;

namespace Workflows.IntegrationTests.Browser;

/// <summary>A District Direct officer decides spend in a real Chromium; the fund bar follows the ledger.</summary>
public sealed partial class DistrictDirectPageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    private const string DeepCleanAndKeySafe =
        """[{"item":"Deep clean","amountPence":45000,"supplier":"Derby Clean Co"},{"item":"Key safe fitted","amountPence":8500,"supplier":"Safe Hands Locks"}]""";
    private const string OfficerPhone = "+447700900601";

    [GeneratedRegex(@"(http://\S+/api/pages/district-direct\.html\?approval=[a-z2-7]+)$")]
    private static partial Regex ApprovalLink();

    private async Task<string> ReferralAwaitingApprovalAsync(string name, string spend = DeepCleanAndKeySafe)
    {
        var id = await web.Host.ReferAsync(name);
        await web.Host.AssessAsync(id, "Papers block the stairs; no key safe for carers.", spend);
        return id;
    }

    [Fact]
    public async Task OfficerApprovesSpendAndTheFundBarMoves()
    {
        var id = await ReferralAwaitingApprovalAsync("Edith Turner");
        var before = await web.Host.FundAsync();
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
        (await web.Host.FundAsync())["committedPence"]!.GetValue<long>().Should().Be(committed);
        await Chromium.ScreenshotAsync(page, "district-direct");
        await Axe.CheckAsync(page, "the District Direct page");

        // A rejection needs a reason: the page says so beside the spend and nothing moves.
        var keySafe = referral.Locator("form", new() { HasText = "Key safe fitted" });
        await keySafe.GetByRole(AriaRole.Button, new() { Name = "Reject Key safe fitted" }).ClickAsync();
        await Assertions.Expect(keySafe.Locator(".error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(keySafe.Locator(".error-message")).ToContainTextAsync("Enter why you are rejecting Key safe fitted.");
        await keySafe.GetByLabel("Reason (needed to reject) for Key safe fitted").FillAsync("Family will fit their own key safe.");
        await keySafe.GetByRole(AriaRole.Button, new() { Name = "Reject Key safe fitted" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Rejected: Key safe fitted");
        await Assertions.Expect(page.Locator("[data-fund=committed]")).ToHaveTextAsync(Pounds(committed));
    }

    /// <summary>A double click on Approve sent two requests.</summary>
    [Fact]
    public async Task ADoubleClickOnApproveSendsOneRequest()
    {
        var id = await ReferralAwaitingApprovalAsync("Double Approve", """[{"item":"Hoist hire","amountPence":12000,"supplier":"Mobility Derby"}]""");
        var page = await web.SignedInPageAsync("dd-officer");
        var decisions = 0;
        page.Request += (_, r) => { if (r.Method == "POST" && r.Url.EndsWith("/decision")) Interlocked.Increment(ref decisions); };
        await web.OpenAsync(page, "district-direct.html");

        await page.Locator($"li[data-referral-id='{id}']").GetByRole(AriaRole.Button, new() { Name = "Approve £120.00" }).DblClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Approved: Hoist hire");
        decisions.Should().Be(1);
    }

    /// <summary>A referral whose spend was all decided disappeared from the page, and cards had no link or action.</summary>
    [Fact]
    public async Task AReferralWaitingForDischargeIsListedAndEveryCardLinksToItsReferral()
    {
        var waiting = await web.Host.ReferAsync("Waiting Assessment");
        var ready = await web.Host.ReferAsync("Ready Home");
        await web.Host.AssessAsync(ready, "Home is fine once the bed is moved downstairs.", "[]");
        await web.Host.WaitForReferralAsync(ready, r => r["status"]!.GetValue<string>() == "awaiting-discharge");
        var page = await web.SignedInPageAsync("dd-officer");

        await web.OpenAsync(page, "district-direct.html");

        var card = page.Locator($"#awaiting-discharge li[data-referral-id='{ready}']");
        await Assertions.Expect(card).ToContainTextAsync("Ready Home");
        await Assertions.Expect(page.Locator($"#awaiting-assessment li[data-referral-id='{waiting}']")
            .GetByRole(AriaRole.Link, new() { Name = "Record the home assessment for Waiting Assessment" })).ToHaveAttributeAsync("href", $"referral.html?id={waiting}");
        await card.GetByRole(AriaRole.Link, new() { Name = "Record the discharge or invoice works for Ready Home" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Ready Home");
        await Assertions.Expect(page.Locator("#referral-status")).ToHaveTextAsync("Waiting for discharge");
        await Axe.CheckAsync(page, "a referral waiting for discharge");
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
        await Axe.CheckAsync(page, "District Direct opened from an approval text's link");
        await asked.GetByRole(AriaRole.Button, new() { Name = "Approve £450.00" }).ClickAsync();

        await Assertions.Expect(page.Locator("#approval-asked").GetByRole(AriaRole.Status)).ToContainTextAsync("Approved: Deep clean (£450.00) by Amira Hussain");
        var referral = await web.Host.ReferralAsync(id);
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
}
