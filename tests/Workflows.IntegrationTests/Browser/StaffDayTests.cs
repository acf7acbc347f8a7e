using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Tests.Fixtures;
using static Workflows.IntegrationTests.Browser.HcaTodayPageTests;
using static Workflows.IntegrationTests.Browser.TriagePageTests;
using static Workflows.IntegrationTests.Browser.Work;

namespace Workflows.IntegrationTests.Browser;

/// <summary>
/// Each role's whole day in a real Chromium, with no curl: every step a person takes is a page or a form, and every
/// page is checked with axe-core on the way. Other people's steps (NHS 111, a ward, an HCA's SMS) come through the API.
/// </summary>
public sealed class StaffDayTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    private static ILocator Said(IPage page) => page.GetByRole(AriaRole.Status);

    [Fact]
    public async Task AnpTriagesCallsToEachOfTheFourOutcomes()
    {
        var now = DateTimeOffset.UtcNow;
        var advice = await web.Host.OpenCaseAsync(now.AddMinutes(-12), "Agnes Ward");
        var prescription = await web.Host.OpenCaseAsync(now.AddMinutes(-9), "Percy Lamb", "carer-exhausted-night.json");
        var referral = await web.Host.OpenCaseAsync(now.AddMinutes(-6), "Rita Gale", "pain-uncontrolled-hcp.json");
        var ecss = await web.Host.OpenCaseAsync(now.AddMinutes(-3), "Edna Shaw");
        var page = await web.SignedInPageAsync("anp");
        await Assertions.Expect(Row(page, advice)).ToBeVisibleAsync();
        await Axe.CheckAsync(page, "the triage queue");

        async Task TriageAsync(string caseId, string outcome, string notes, Func<Task>? more = null)
        {
            await web.OpenAsync(page, "triage.html");
            await Row(page, caseId).GetByRole(AriaRole.Link, new() { Name = "Triage" }).ClickAsync();
            await page.GetByLabel(outcome).CheckAsync();
            if (more is not null) await more();
            await page.GetByLabel("Notes", new() { Exact = true }).FillAsync(notes);
            await page.GetByRole(AriaRole.Button, new() { Name = "Record outcome" }).ClickAsync();
            await Assertions.Expect(Said(page)).ToContainTextAsync("Triage recorded");
        }

        await TriageAsync(advice, "Advice given", "Talked the son through breakthrough doses; settled.");
        await TriageAsync(prescription, "Prescription issued", "EPS for midazolam PRN to the out-of-hours pharmacy.");
        await TriageAsync(referral, "Refer to another service", "Pain uncontrolled; needs consultant advice tonight.", async () =>
        {
            await page.GetByLabel("Specialist advice").CheckAsync();
            await Axe.CheckAsync(page, "the triage form referring by need");
        });
        await TriageAsync(ecss, "Send to ECSS", "Daughter exhausted; needs personal care tonight.", async () =>
        {
            // What matters to the patient, as far as the ANP knows it: the rest left as not known.
            await page.GetByLabel("Preferred place of death").SelectOptionAsync("home");
            await page.Locator("#plan-dnacpr").GetByLabel("Yes", new() { Exact = true }).CheckAsync();
            await page.Locator("#plan-anticipatoryMedicines").GetByLabel("No", new() { Exact = true }).CheckAsync();
            await page.GetByLabel("Main carer (optional)").FillAsync("Daughter (Joan)");
            await Axe.CheckAsync(page, "the triage form with what matters to the patient");
        });

        (await web.Host.WaitForCaseAsync(advice, c => c["status"]!.GetValue<string>() == "closed"))["closed"]!["reason"]!.GetValue<string>().Should().Be("advice");
        (await web.Host.WaitForCaseAsync(prescription, c => c["status"]!.GetValue<string>() == "closed"))["closed"]!["reason"]!.GetValue<string>().Should().Be("prescription");
        (await web.Host.WaitForCaseAsync(referral, c => c["status"]!.GetValue<string>() == "referred"))["referral"]!["serviceId"]!.GetValue<string>()
            .Should().Be("palliative-advice-line");
        await web.Host.WaitForCaseAsync(ecss, c => c["ecss"] is not null);
        await web.OpenAsync(page, "cases.html");
        await Assertions.Expect(page.Locator($"#cases-referred tr[data-case-id='{referral}']")).ToContainTextAsync("Specialist Palliative Care Advice Line");
        await Assertions.Expect(page.Locator($"#cases-awaiting-hca tr[data-case-id='{ecss}']")).ToContainTextAsync("Edna Shaw");
        await Axe.CheckAsync(page, "open cases");
        await web.OpenAsync(page, "triage.html");
        await Assertions.Expect(page.Locator("#queue-updated")).ToContainTextAsync("waiting");
        foreach (var triaged in new[] { advice, prescription, referral, ecss }) await Assertions.Expect(Row(page, triaged)).ToHaveCountAsync(0);
        var matters = (await web.Host.WaitForCaseAsync(ecss, c => c["whatMatters"] is not null))["whatMatters"]!;
        matters["preferredPlaceOfDeath"]!.GetValue<string>().Should().Be("home");
        matters["carePlan"]!.ToJsonString().Should().Be("""{"dnacpr":true,"anticipatoryMedicines":false,"mainCarer":"Daughter (Joan)"}""");

        // The case page shows it; a death closed from there records where it happened.
        await web.OpenAsync(page, $"case.html?id={ecss}");
        await Assertions.Expect(page.Locator("#what-matters")).ToContainTextAsync("Preferred place of deathHome");
        await Assertions.Expect(page.Locator("#what-matters")).ToContainTextAsync("DNACPR decision in placeYes");
        await page.GetByLabel("Reason").SelectOptionAsync("died");
        await page.GetByLabel("Place of death").SelectOptionAsync("home");
        await Axe.CheckAsync(page, "the case page with what matters and a death to close");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close case" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Close requested");
        (await web.Host.WaitForCaseAsync(ecss, c => c["status"]!.GetValue<string>() == "closed"))["closed"]!["placeOfDeath"]!.GetValue<string>().Should().Be("home");
    }

    [Fact]
    public async Task CoordinatorSetsTomorrowsRosterRecordsACarePackageAndClosesACase()
    {
        var (bridged, hcaId) = await web.Host.AcceptedCaseAsync("Bella Hart");
        var referred = await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-30), "Reg Pike");
        await web.Host.TriageAsync(referred, """{"outcome":"refer","notes":"Known to the night team","serviceId":"night-roaming-service"}""");
        await web.Host.WaitForCaseAsync(referred, c => c["status"]!.GetValue<string>() == "referred");
        var page = await web.SignedInPageAsync("coordinator");

        // Tomorrow's day shift is always in the future: cover it, and be told beside the field when an HCA is named twice.
        await web.OpenAsync(page, "roster.html");
        await Assertions.Expect(page.Locator("#shift-day")).ToBeVisibleAsync();
        await Axe.CheckAsync(page, "the ECSS roster");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next day" }).ClickAsync();
        var day = page.Locator("#shift-day");
        await day.GetByLabel("HCA 1").SelectOptionAsync("hca-02");
        await day.GetByLabel("HCA 2").SelectOptionAsync("hca-02");
        await day.GetByLabel("HCA 3").SelectOptionAsync("hca-09");
        await day.GetByRole(AriaRole.Button, new() { Name = "Save the day shift" }).ClickAsync();
        await Assertions.Expect(day.Locator(".error-message")).ToContainTextAsync("HCA 2 is already on this shift");
        await Axe.CheckAsync(page, "the roster with an error");
        await day.GetByLabel("HCA 2").SelectOptionAsync("hca-05");
        await day.GetByRole(AriaRole.Button, new() { Name = "Save the day shift" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Saved the day shift");
        await Assertions.Expect(day.Locator("li[data-hca-id]")).ToHaveTextAsync([new Regex("^Ben Thornley"), new Regex("^Erin Walsh"), new Regex("^Isla Greaves")]);
        var date = Regex.Match(page.Url, @"date=(\d{4}-\d{2}-\d{2})").Groups[1].Value;
        var roster = JsonNode.Parse(await (await web.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/ecss/roster/{date}/day", "coordinator")).Content.ReadAsStringAsync())!;
        roster["source"]!.GetValue<string>().Should().Be("rota");
        await Chromium.ScreenshotAsync(page, "roster");

        // The bridged case: substantive care is arranged and in place now, so bridging ends and the case closes.
        await web.OpenAsync(page, "cases.html");
        var row = page.Locator($"#cases-bridging tr[data-case-id='{bridged}']");
        await Assertions.Expect(row).ToContainTextAsync(NameOf(hcaId));
        await Chromium.ScreenshotAsync(page, "open-cases");
        await row.GetByRole(AriaRole.Link, new() { Name = "Bella Hart" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ecss")).ToContainTextAsync(NameOf(hcaId));
        await page.GetByLabel("Provider").FillAsync("Peak Home Care");
        await Axe.CheckAsync(page, "the case page with its care package and close forms");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record care package" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Care package recorded: Peak Home Care, in place now");
        (await web.Host.WaitForCaseAsync(bridged, c => c["status"]!.GetValue<string>() == "closed"))["closed"]!["reason"]!.GetValue<string>().Should().Be("package");

        // The referred case, once the service has taken the patient on.
        await web.OpenAsync(page, "cases.html");
        await page.Locator($"#cases-referred tr[data-case-id='{referred}']").GetByRole(AriaRole.Link, new() { Name = "Reg Pike" }).ClickAsync();
        await page.GetByLabel("Reason").SelectOptionAsync("resolved");
        await page.GetByLabel("Notes (optional)").FillAsync("The night roaming team visited and took over.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close case" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Close requested");
        (await web.Host.WaitForCaseAsync(referred, c => c["status"]!.GetValue<string>() == "closed"))["closed"]!["reason"]!.GetValue<string>().Should().Be("resolved");
    }

    [Fact]
    public async Task HcaWorksTheirDayOnAPhone()
    {
        var (caseId, hcaId) = await web.Host.OfferedCaseAsync("Hilda Moss");
        var page = await web.SignedInPageAsync("hca", hcaId, phone: true);
        await Assertions.Expect(page.Locator($"#offers li[data-case-id='{caseId}']")).ToContainTextAsync("near");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Hilda Moss");
        await Axe.CheckAsync(page, "HCA today with an offer");

        await web.Host.AcceptOfferAsync(caseId, hcaId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        var card = page.Locator($"section[data-case-id='{caseId}']");
        await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Hilda Moss" })).ToBeVisibleAsync();
        var (arrived, left) = (await ClockAsync(page, 60), await ClockAsync(page, 25));
        await RecordVisitAsync(card, arrived, left, "Personal care", "Emotional support");
        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit recorded");

        await card.GetByLabel("Notes (optional)").FillAsync("Phoned the daughter: settled and sleeping.");
        await card.GetByRole(AriaRole.Button, new() { Name = "Record check-in" }).ClickAsync();
        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Check-in recorded");

        // Continence care was given too: the same arrival, corrected.
        await RecordVisitAsync(card, arrived, left, "Personal care", "Emotional support", "Continence care");
        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit corrected");
        await Axe.CheckAsync(page, "HCA today after a visit");

        // She dies with the HCA there; the coordinator closes the case, and the HCA records the visit at the death.
        await web.Host.CloseAsync(caseId, "died");
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Hilda Moss" })).ToContainTextAsync("Closed: died");
        await card.GetByLabel("Notes", new() { Exact = true }).FillAsync("With the family when she died; stayed until the GP came.");
        await RecordVisitAsync(card, await ClockAsync(page, 20), await ClockAsync(page, 0), "Comfort call", "Emotional support");
        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit recorded");
        await Axe.CheckAsync(page, "HCA today after the case closed");

        var c = await web.Host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["summary"]!.GetValue<string>().Contains("stayed until the GP came")));
        c["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should().Contain(["visit", "check-in", "visit-corrected", "closed"]);
        c["ecss"]!["visits"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task DistrictDirectOfficerAssessesApprovesDischargesAndInvoices()
    {
        var id = await web.Host.ReferAsync("Olive Dunn", "clutter", "key-safe", "homeless");
        var page = await web.SignedInPageAsync("dd-officer");
        await page.Locator($"#awaiting-assessment li[data-referral-id='{id}']")
            .GetByRole(AriaRole.Link, new() { Name = "Record the home assessment for Olive Dunn" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Olive Dunn");

        await page.GetByLabel("What you found").FillAsync("Hoarded papers block the stairs; no key safe for carers; the tenancy has ended.");
        async Task ItemAsync(int n, string works, string cost, string supplier)
        {
            if (n > 1) await page.GetByRole(AriaRole.Button, new() { Name = "Add an item of works" }).ClickAsync();
            var line = page.GetByRole(AriaRole.Group, new() { Name = $"Item of works {n}" });
            await line.GetByLabel("Works").FillAsync(works);
            await line.GetByLabel("Cost in pounds").FillAsync(cost);
            await line.GetByLabel("Supplier").FillAsync(supplier);
        }
        await ItemAsync(1, "Deep clean", "450", "Derby Clean Co");
        await ItemAsync(2, "Key safe fitted", "85", "Safe Hands Locks");
        await ItemAsync(3, "Grab rails", "", "Handy Co");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the assessment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#spend-2-amount-error")).ToContainTextAsync("Enter the cost of item 3.");
        await Axe.CheckAsync(page, "the home assessment with an error");
        await page.GetByRole(AriaRole.Group, new() { Name = "Item of works 3" }).GetByLabel("Cost in pounds").FillAsync("£120");
        await Chromium.ScreenshotAsync(page, "referral-assessment");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the assessment" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Assessment recorded with 3 spend requests to decide.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve £450.00" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Approved: Deep clean");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve £85.00" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Approved: Key safe fitted");
        await page.GetByText("Cancel works still waiting for a decision").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel these works for Grab rails" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Cancelled: Grab rails");
        await page.GetByLabel("Amount invoiced for Deep clean, in pounds").FillAsync("400");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the invoice for Deep clean" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Invoiced: Deep clean, £400.00; £50.00 went back to the fund.");
        await Axe.CheckAsync(page, "a referral with approved works");

        // Every spend decided: the referral waits for discharge on the District Direct page, with its next step.
        await web.Host.WaitForReferralAsync(id, r => r["status"]!.GetValue<string>() == "awaiting-discharge");
        await web.OpenAsync(page, "district-direct.html");
        await page.Locator($"#awaiting-discharge li[data-referral-id='{id}']")
            .GetByRole(AriaRole.Link, new() { Name = "Record the discharge or invoice works for Olive Dunn" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the discharge" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Discharge recorded");
        await Assertions.Expect(page.Locator("#referral-status")).ToHaveTextAsync("Discharged home");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the invoice for Key safe fitted" }).ClickAsync();
        await Assertions.Expect(Said(page)).ToContainTextAsync("Invoiced: Key safe fitted, £85.00.");
        await Assertions.Expect(page.Locator("#housing")).ToContainTextAsync("Derby City Council Housing Options");
        await Chromium.ScreenshotAsync(page, "referral");
        await Axe.CheckAsync(page, "a discharged referral");

        var referral = await web.Host.ReferralAsync(id);
        referral["status"]!.GetValue<string>().Should().Be("discharged");
        (referral["spendPence"]!.GetValue<long>(), referral["spentPence"]!.GetValue<long>()).Should().Be((48_500, 48_500));
    }

    [Fact]
    public async Task DistrictDirectManagerApprovesAboveTheOfficersLimitAndTheFundFollows()
    {
        var id = await web.Host.ReferAsync("Mabel Cross", "minor-works");
        await web.Host.AssessAsync(id, "Stairs too steep: a stair lift before she can go home.", """[{"item":"Stair lift","amountPence":180000,"supplier":"Derby Lifts"}]""");
        var officer = await web.SignedInPageAsync("dd-officer");
        var officersCard = officer.Locator($"li[data-referral-id='{id}']");
        await officersCard.GetByRole(AriaRole.Button, new() { Name = "Approve £1,800.00" }).ClickAsync();
        await Assertions.Expect(officersCard.Locator(".error-summary")).ToContainTextAsync("ask a District Direct manager");

        var before = await web.Host.FundAsync();
        var manager = await web.SignedInPageAsync("dd-manager");
        await Assertions.Expect(manager.Locator("[data-fund=available]")).ToHaveTextAsync(Pounds(before["availablePence"]!.GetValue<long>()));
        await Axe.CheckAsync(manager, "District Direct for a manager");
        await manager.Locator($"li[data-referral-id='{id}']").GetByRole(AriaRole.Button, new() { Name = "Approve £1,800.00" }).ClickAsync();

        await Assertions.Expect(Said(manager)).ToContainTextAsync("Approved: Stair lift (£1,800.00) for Mabel Cross");
        await Assertions.Expect(manager.Locator("[data-fund=committed]")).ToHaveTextAsync(Pounds(before["committedPence"]!.GetValue<long>() + 180_000));
        await Assertions.Expect(manager.Locator("[data-fund=available]")).ToHaveTextAsync(Pounds(before["availablePence"]!.GetValue<long>() - 180_000));
        await web.OpenAsync(manager, $"referral.html?id={id}");
        await Assertions.Expect(manager.Locator($"#spend-requests")).ToContainTextAsync("Sarah Whitfield");
        await Axe.CheckAsync(manager, "a referral for a manager");
    }

    [Fact]
    public async Task ReportingShowsAMonthAndDownloadsItAsCsv()
    {
        await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-1), "Report Month");
        var month = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var first = DateOnly.ParseExact($"{month}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (from, to) = ($"{first:yyyy-MM-dd}", $"{first.AddMonths(1).AddDays(-1):yyyy-MM-dd}");
        var page = await web.SignedInPageAsync("reporting");

        await page.GetByLabel("A whole month").FillAsync(month);
        await Assertions.Expect(page.GetByLabel("From")).ToHaveValueAsync(from);
        await Assertions.Expect(page.GetByLabel("To (included)")).ToHaveValueAsync(to);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show report" }).ClickAsync();

        await Assertions.Expect(page.Locator("#period")).ToHaveTextAsync($"{from} to {to}");
        await Axe.CheckAsync(page, "the pilot report for a month");
        var json = JsonNode.Parse(await (await web.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/reports/pilot?from={from}&to={to}", "reporting"))
            .Content.ReadAsStringAsync())!;
        var shown = await page.Locator("#report-table tbody tr").EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.key, r.querySelector('td.num').dataset.value])");
        shown.Select(r => r[0]).Should().Equal(json["rows"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        download.SuggestedFilename.Should().Be($"pilot-report-{from}-to-{to}.csv");
        var csv = Csv.Parse(await File.ReadAllTextAsync((await download.PathAsync())!));
        csv.Skip(1).Select(r => (r[4], r[5], r[6])).Should().Equal(json["rows"]!.AsArray().Select(r => (r!["key"]!.GetValue<string>(), from, to)));
    }
}
