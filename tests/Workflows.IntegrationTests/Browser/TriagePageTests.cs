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
    [Fact]
    public async Task AnpTriagesACaseFromTheQueue()
    {
        var now = DateTimeOffset.UtcNow;
        var overdue = await web.Host.OpenCaseAsync(now.AddMinutes(-22), "Margaret Oakes");
        var dueSoon = await web.Host.OpenCaseAsync(now.AddMinutes(-11), "Peter Lumb", "carer-exhausted-night.json");
        var fresh = await web.Host.OpenCaseAsync(now.AddMinutes(-2), "Edith Crane", "pain-uncontrolled-hcp.json");
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
        await Axe.CheckAsync(page, "the triage queue");

        await Row(page, overdue).GetByRole(AriaRole.Link, new() { Name = "Triage" }).ClickAsync();
        await page.GetByLabel("Advice given").CheckAsync();
        await page.GetByLabel("Notes", new() { Exact = true }).FillAsync("Talked the daughter through the syringe driver alarm; settled.");
        await Chromium.ScreenshotAsync(page, "case-triage");
        await Axe.CheckAsync(page, "the triage form");
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
        var caseId = await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-40), "Keyboard Only");
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
        // Then through the optional 'what matters' fields, each once and in order, to the button.
        var passed = new List<string>();
        for (var i = 0; i < 10 && passed.LastOrDefault() != "record-triage"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            passed.Add(await page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.id : ''"));
        }
        passed.Should().StartWith("preferred-place").And.ContainInOrder("preferred-place", "plan-dnacpr-unknown", "main-carer", "record-triage")
            .And.OnlyHaveUniqueItems();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Triage recorded: prescription");
        var closed = await web.Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
        closed["triage"]!["outcome"]!.GetValue<string>().Should().Be("prescription");
        closed["triage"]!["notes"]!.GetValue<string>().Should().Be("EPS issued for midazolam PRN.");
    }

    /// <summary>
    /// Refer by need (the form showed no needs, and its error linked to a div) and errors worded for the nurse, each beside
    /// its field, never the API's ("The request is not valid", "serviceId").
    /// </summary>
    [Fact]
    public async Task ErrorsSayWhatToDoBesideTheirFieldAndReferByNeedWorks()
    {
        var caseId = await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow, "Needs Outcome");
        var page = await web.SignedInPageAsync("anp");
        await web.OpenAsync(page, $"case.html?id={caseId}&triage=1");
        var record = page.GetByRole(AriaRole.Button, new() { Name = "Record outcome" });
        var summary = page.Locator(".error-summary");

        await record.ClickAsync();
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Select the outcome of your triage.", "Enter your notes: what you found and what you did."]);
        await Assertions.Expect(page.Locator("#notes-error")).ToHaveTextAsync("Error: Enter your notes: what you found and what you did.");
        await Assertions.Expect(page.Locator("fieldset#outcome")).ToHaveAttributeAsync("aria-describedby", "outcome-advice-error");
        await Axe.CheckAsync(page, "the triage form with errors");
        await summary.GetByRole(AriaRole.Link, new() { Name = "Select the outcome of your triage." }).ClickAsync();
        await Assertions.Expect(page.Locator("#outcome-advice")).ToBeFocusedAsync();

        // The API's own refusal, in the form's words and beside the field.
        await page.GetByLabel("Advice given").CheckAsync();
        await page.GetByLabel("Notes", new() { Exact = true }).FillAsync(new string('x', 2001));
        await record.ClickAsync();
        await Assertions.Expect(page.Locator("#notes-error")).ToContainTextAsync("Notes must be at most 2000 characters.");
        await Assertions.Expect(summary).Not.ToContainTextAsync("The request is not valid");

        await page.GetByLabel("Refer to another service").CheckAsync();
        await page.GetByLabel("Notes", new() { Exact = true }).FillAsync("Breathless at rest; needs consultant advice tonight.");
        await record.ClickAsync();
        var needLink = summary.GetByRole(AriaRole.Link, new() { Name = "Select what the patient needs, or choose a service." });
        await Assertions.Expect(needLink).ToBeVisibleAsync();
        await Assertions.Expect(summary).Not.ToContainTextAsync("serviceId");
        await needLink.ClickAsync();
        await Assertions.Expect(page.Locator("fieldset#needs input").First).ToBeFocusedAsync();
        (await web.Host.StatusAsync(caseId)).Should().Be("awaiting-triage", "nothing is sent while the form has errors");

        await page.GetByLabel("Specialist advice").CheckAsync();
        await Axe.CheckAsync(page, "the triage form referring by need");
        await record.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Triage recorded: refer");
        var referred = await web.Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "referred");
        referred["referral"]!["serviceId"]!.GetValue<string>().Should().Be("palliative-advice-line");
    }

    /// <summary>
    /// A refresh that fails leaves the last list on screen: it must say in words that it is out of date, and minutes waited
    /// must go on counting (they stopped, in green "Within target", with only a small grey line saying so).
    /// </summary>
    [Fact]
    public async Task AQueueThatCannotRefreshSaysItIsOutOfDateAndMinutesKeepCounting()
    {
        var caseId = await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-3), "Stale Queue");
        var page = await web.SignedInPageAsync("anp");
        await page.Clock.InstallAsync();
        await web.OpenAsync(page, "triage.html");
        await Assertions.Expect(Row(page, caseId).Locator(".waited")).ToContainTextAsync("3 min");
        await Assertions.Expect(Row(page, caseId).Locator(".tag")).ToHaveTextAsync("Within target");

        await page.RouteAsync("**/api/triage/queue", route => route.AbortAsync());
        await page.Clock.FastForwardAsync("05:00");

        var stale = page.Locator("#queue-stale [role=alert]");
        await Assertions.Expect(stale).ToContainTextAsync("This queue is out of date");
        await Assertions.Expect(stale).ToContainTextAsync("New calls may be waiting that are not shown");
        await Assertions.Expect(Row(page, caseId).Locator(".waited")).ToContainTextAsync("8 min");
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^OUT OF DATE"));
        await Axe.CheckAsync(page, "the triage queue out of date");
        await page.Clock.FastForwardAsync("08:00");
        await Assertions.Expect(Row(page, caseId).Locator(".tag")).ToHaveTextAsync("Overdue");

        await page.UnrouteAsync("**/api/triage/queue");
        await stale.GetByRole(AriaRole.Button, new() { Name = "Try again now" }).ClickAsync();
        await Assertions.Expect(page.Locator("#queue-stale")).ToBeEmptyAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("Triage queue – Crisis care and discharge");
    }

    [Fact]
    public async Task ADoubleClickOnCloseSendsOneRequest()
    {
        var caseId = await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow, "Double Click");
        var page = await web.SignedInPageAsync("coordinator");
        var closes = 0;
        page.Request += (_, r) => { if (r.Method == "POST" && r.Url.EndsWith($"/api/cases/{caseId}/close")) Interlocked.Increment(ref closes); };
        await web.OpenAsync(page, $"case.html?id={caseId}");

        await page.GetByLabel("Reason").SelectOptionAsync("admitted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close case" }).DblClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Close requested");
        await web.Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
        closes.Should().Be(1);
    }

    [Fact]
    public async Task CasePageTellsTheStoryAndShowsFamilySmsConsent()
    {
        var caseId = await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-5), "Story Teller");
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
        await Axe.CheckAsync(page, "the case page");
    }

    /// <summary>A case parked as needs-attention says why on its page and offers the coordinator to resume it (H25).</summary>
    [Fact]
    public async Task ParkedCaseSaysWhyAndIsResumedFromItsPage()
    {
        var caseId = await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-40), "Parked Patient");
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
        await Axe.CheckAsync(page, "a parked case's page");
        await page.GetByLabel("What you did (optional)").FillAsync("Phoned the daughter; the ANP will call back.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume the case" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Resumed");
    }

    /// <summary>A case's entry in the triage queue.</summary>
    public static ILocator Row(IPage page, string caseId) => page.Locator($"#queue > li[data-case-id='{caseId}']");

    private static Task<string?> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string?>("() => document.activeElement && document.activeElement.getAttribute('data-focus')");
}
