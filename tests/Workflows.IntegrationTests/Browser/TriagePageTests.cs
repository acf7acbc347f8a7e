using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Workflows.CrisisCare;
using Workflows.Storage;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Browser;

/// <summary>An ANP works the triage queue in a real Chromium against the local host.</summary>
public sealed class TriagePageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    private static string Call(DateTimeOffset receivedAt, string? name = null, string file = "breathless-syringe-driver.json")
    {
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", file)))!;
        call["callId"] = $"111-pages-{Guid.NewGuid():N}";
        call["receivedAt"] = receivedAt.ToString("yyyy-MM-ddTHH:mm:sszzz");
        if (name is not null) call["patient"]!["name"] = name;
        return call.ToJsonString();
    }

    private async Task<string> OpenCaseAsync(DateTimeOffset receivedAt, string name, string file = "breathless-syringe-driver.json")
    {
        var r = await web.Host.PostCallAsync(Call(receivedAt, name, file));
        r.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var caseId = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["caseId"]!.GetValue<string>();
        await web.Host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "case-opened"));
        return caseId;
    }

    private async Task<string> StatusAsync(string caseId) =>
        JsonNode.Parse(await (await web.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}", "coordinator")).Content.ReadAsStringAsync())!
            ["status"]!.GetValue<string>();

    [Fact]
    public async Task AnpTriagesACaseFromTheQueue()
    {
        var now = DateTimeOffset.UtcNow;
        var overdue = await OpenCaseAsync(now.AddMinutes(-22), "Margaret Oakes");
        var dueSoon = await OpenCaseAsync(now.AddMinutes(-11), "Peter Lumb", "carer-exhausted-night.json");
        var fresh = await OpenCaseAsync(now.AddMinutes(-2), "Edith Crane", "pain-uncontrolled-hcp.json");
        var page = await web.SignedInPageAsync("anp");

        await web.OpenAsync(page, "triage.html");

        var rows = page.Locator("#queue > li[data-case-id]");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        var order = await rows.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.caseId)");
        order.Should().ContainInOrder(overdue, dueSoon, fresh);
        await Assertions.Expect(Row(page, overdue).Locator(".tag")).ToHaveTextAsync("Overdue");
        await Assertions.Expect(Row(page, dueSoon).Locator(".tag")).ToHaveTextAsync("Due soon");
        await Assertions.Expect(Row(page, fresh).Locator(".tag")).ToHaveTextAsync("Within target");
        await Assertions.Expect(Row(page, overdue).Locator(".waited")).ToContainTextAsync("22 min");
        await Chromium.ScreenshotAsync(page, "triage-queue");

        await Row(page, overdue).GetByRole(AriaRole.Link, new() { Name = "Triage" }).ClickAsync();
        await page.GetByLabel("Advice given").CheckAsync();
        await page.GetByLabel("Notes", new() { Exact = true }).FillAsync("Talked the daughter through the syringe driver alarm; settled.");
        await Chromium.ScreenshotAsync(page, "case-triage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record outcome" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Triage recorded: advice");
        await web.Host.WaitForCaseAsync(overdue, c => c["status"]!.GetValue<string>() == "closed");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the triage queue" }).ClickAsync();
        await Assertions.Expect(Row(page, dueSoon)).ToBeVisibleAsync();
        await Assertions.Expect(Row(page, overdue)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TriageCanBeDoneWithTheKeyboardOnly()
    {
        var caseId = await OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-40), "Keyboard Only");
        var page = await web.SignedInPageAsync("anp");
        await web.OpenAsync(page, "triage.html");
        await Assertions.Expect(Row(page, caseId)).ToBeVisibleAsync();

        // Tab from the top of the page to this case's Triage link, as a keyboard user would.
        var target = $"triage-{caseId}";
        for (var i = 0; i < 60 && await FocusedAsync(page) != target; i++) await page.Keyboard.PressAsync("Tab");
        (await FocusedAsync(page)).Should().Be(target, "the Triage link is reachable with Tab");
        await page.Keyboard.PressAsync("Enter");

        // The outcome choices have focus; arrows move between radios, Space picks, Tab moves on to the notes.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"case\\.html\\?id={caseId}&triage=1$"));
        await Assertions.Expect(page.Locator("#outcome-advice")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("#outcome-prescription")).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#notes")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("EPS issued for midazolam PRN.");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#record-triage")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Triage recorded: prescription");
        var closed = await web.Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
        closed["triage"]!["outcome"]!.GetValue<string>().Should().Be("prescription");
        closed["triage"]!["notes"]!.GetValue<string>().Should().Be("EPS issued for midazolam PRN.");
    }

    [Fact]
    public async Task MissingOutcomeIsExplainedBesideTheForm()
    {
        var caseId = await OpenCaseAsync(DateTimeOffset.UtcNow, "Needs Outcome");
        var page = await web.SignedInPageAsync("anp");
        await web.OpenAsync(page, $"case.html?id={caseId}&triage=1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Record outcome" }).ClickAsync();

        var summary = page.Locator(".error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary.GetByRole(AriaRole.Link)).ToContainTextAsync(["Outcome", "Notes"]);
        (await StatusAsync(caseId)).Should().Be("awaiting-triage");
    }

    [Fact]
    public async Task CasePageTellsTheStoryAndShowsFamilySmsConsent()
    {
        var caseId = await OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-5), "Story Teller");
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", "breathless-syringe-driver.json")))!;
        var contact = call["familyContacts"]!.AsArray()[0]!;
        (await web.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
            """{"outcome":"refer","notes":"Consultant advice needed","needs":["specialist-advice"]}""")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await web.Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "referred");
        var page = await web.SignedInPageAsync("coordinator");

        await web.OpenAsync(page, $"case.html?id={caseId}");

        await Assertions.Expect(page.Locator("#case-status")).ToHaveTextAsync("Referred");
        var story = page.Locator("#timeline > li");
        await Assertions.Expect(story).ToHaveCountAsync(3);
        await Assertions.Expect(story.Nth(0)).ToContainTextAsync("Call received from NHS 111");
        await Assertions.Expect(story.Nth(1)).ToContainTextAsync("Triaged by the ANP");
        await Assertions.Expect(story.Nth(2)).ToContainTextAsync("Referred to a service");
        var row = page.Locator("#family-contacts tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync(contact["name"]!.GetValue<string>());
        await Assertions.Expect(row).ToContainTextAsync(contact["smsConsent"]!.GetValue<bool>() ? "Yes, may be texted" : "No texts");
        await Assertions.Expect(page.Locator("#messages")).ToHaveTextAsync("No texts have been sent about this case.");
        await Chromium.ScreenshotAsync(page, "case");
    }

    /// <summary>A case parked as needs-attention says why on its page and offers the coordinator to resume it (H25).</summary>
    [Fact]
    public async Task ParkedCaseSaysWhyAndIsResumedFromItsPage()
    {
        var caseId = await OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-40), "Parked Patient");
        // Parked as the case's step would park it, without taking the SMS provider down for a page test.
        var cases = new CaseStore(new TableStore(new Azure.Data.Tables.TableServiceClient(web.Azurite.ConnectionString)));
        await cases.UpdateAsync(caseId, c => (c.Status, c.AttentionReason, c.AttentionAt) =
            ("needs-attention", "EscalateTriage kept failing: the SMS provider answered 500", DateTimeOffset.UtcNow));
        var page = await web.SignedInPageAsync("coordinator");

        await web.OpenAsync(page, "triage.html");
        await Assertions.Expect(Row(page, caseId).Locator(".tag")).ToHaveTextAsync("Needs a person");
        await Row(page, caseId).GetByRole(AriaRole.Link, new() { Name = "Take over" }).ClickAsync();

        await Assertions.Expect(page.Locator("#case-status")).ToHaveTextAsync("Needs a person");
        var panel = page.Locator("#resume-form");
        await Assertions.Expect(panel.GetByRole(AriaRole.Heading)).ToHaveTextAsync("This case needs a person");
        await Assertions.Expect(panel).ToContainTextAsync("EscalateTriage kept failing");
        await page.GetByLabel("What you did (optional)").FillAsync("Phoned the daughter; the ANP will call back.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume the case" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Resumed");
    }

    private static ILocator Row(IPage page, string caseId) => page.Locator($"#queue > li[data-case-id='{caseId}']");

    private static Task<string?> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string?>("() => document.activeElement && document.activeElement.getAttribute('data-focus')");
}
