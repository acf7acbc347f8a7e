using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Workflows.Http;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Browser;

/// <summary>The sample data without any fund year open, as a deployment has before a manager opens its first year.</summary>
public sealed class NoFundYearBrowserHost : BrowserHost
{
    private readonly string _seeds = Directory.CreateTempSubdirectory("seeds-no-fund").FullName;

    public NoFundYearBrowserHost()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot.Path, "seeds"), "*.json"))
            File.Copy(file, Path.Combine(_seeds, Path.GetFileName(file)));
        var fund = JsonNode.Parse(File.ReadAllText(Path.Combine(_seeds, "fund.json")))!;
        fund["funds"] = new JsonArray();
        File.WriteAllText(Path.Combine(_seeds, "fund.json"), fund.ToJsonString());
    }

    protected override IDictionary<string, string>? Settings => new Dictionary<string, string> { ["LocalHost__SeedsPath"] = _seeds };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_seeds, recursive: true);
    }
}

/// <summary>
/// Admins keep the directory, bank holidays, hospitals and housing authorities, and import a new deployment's files, from
/// their pages; a District Direct manager is told no fund year is open and opens it. Keyboard first, NHS.UK error pattern.
/// </summary>
public sealed class ReferenceDataPagesTests(NoFundYearBrowserHost web) : IClassFixture<NoFundYearBrowserHost>
{
    private async Task<JsonNode> GetAsAdminAsync(string path)
    {
        var r = new HttpRequestMessage(HttpMethod.Get, path);
        r.Headers.Add(StaffPrincipal.Header, StaffPrincipal.Encode("admin-1", "Morgan Hale", "admin"));
        var response = await web.Host.Client.SendAsync(r);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task AnAdminAddsAServiceAndABankHolidayFromTheDirectoryPage()
    {
        var page = await web.SignedInPageAsync("admin");
        await web.OpenAsync(page, "admin.html");
        await page.GetByRole(AriaRole.Link, new() { Name = "the service directory and bank holidays" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("tr[data-service-id='district-nursing']")).ToContainTextAsync("District Nursing");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a service" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add a service" })).ToBeFocusedAsync();
        await page.GetByLabel("Service id").FillAsync("night-sitters-derby");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Night Sitters (Derby)");
        await page.GetByLabel("Night sitting").CheckAsync();
        await page.GetByLabel("Opening hours").FillAsync("Monday 8pm till late");
        await page.GetByLabel("Referral contact").FillAsync("01164 960199");
        await page.GetByLabel("Area (optional)").FillAsync("DE1-DE24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).PressAsync("Enter");

        var summary = page.Locator("#editor .error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Opening hours, line 1: Write a day" })).ToHaveAttributeAsync("href", "#hours");
        await Assertions.Expect(page.Locator("#hours-error")).ToContainTextAsync("e.g. Monday 08:00-22:00");
        (await GetAsAdminAsync("/api/admin/services/night-sitters-derby"))["status"]!.GetValue<int>().Should().Be(404, "nothing is stored on a refusal");

        await summary.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Opening hours")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Monday 20:00-08:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved Night Sitters (Derby).");
        await Assertions.Expect(page.Locator("tr[data-service-id='night-sitters-derby']")).ToContainTextAsync("Monday 20:00-08:00");
        (await GetAsAdminAsync("/api/admin/services/night-sitters-derby"))["referral"]!["contact"]!.GetValue<string>().Should().Be("+441164960199");

        await page.GetByLabel("Year", new() { Exact = true }).FillAsync("2034");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the year" }).PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("Bank holidays in 2034")).ToBeVisibleAsync();
        await page.GetByLabel("Bank holidays in 2034").FillAsync("2034-12-25 Christmas Day\n26/12/2034 Boxing Day");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the 2034 bank holidays" }).PressAsync("Enter");
        await Assertions.Expect(page.Locator("#holidays-error")).ToContainTextAsync("yyyy-mm-dd");
        await page.GetByLabel("Bank holidays in 2034").FillAsync("2034-12-25 Christmas Day\n2034-12-26 Boxing Day");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the 2034 bank holidays" }).PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The 2034 bank holidays are saved.");
        (await GetAsAdminAsync("/api/admin/bank-holidays/2034"))["holidays"]!.AsArray().Should().HaveCount(2);
        await Chromium.ScreenshotAsync(page, "admin-directory");
    }

    [Fact]
    public async Task AnAdminAddsAHousingAuthorityAndHospitalAndImportsAFile()
    {
        var page = await web.SignedInPageAsync("admin");
        await web.OpenAsync(page, "admin-district-direct.html");
        await Assertions.Expect(page.Locator("tr[data-hospital-id='royal-derby']")).ToContainTextAsync("Derby City Council");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a housing authority" }).PressAsync("Enter");
        await page.GetByLabel("Authority id").FillAsync("nw-leics");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("North West Leicestershire Housing Options");
        await page.GetByLabel("Postcode districts").FillAsync("LE67, DE22");
        await page.GetByLabel("How a duty to refer reaches it").SelectOptionAsync("email");
        await page.GetByLabel("Referral contact").FillAsync("housing@nwleics.example.gov.uk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).PressAsync("Enter");
        var summary = page.Locator("#editor .error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary).ToContainTextAsync("DE22 is covered by Derby City Council Housing Options");
        await Assertions.Expect(page.Locator("#authority-districts-error")).ToContainTextAsync("DE22 is covered by Derby City Council Housing Options");

        await page.GetByLabel("Postcode districts").FillAsync("LE67, LE65");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved North West Leicestershire Housing Options.");
        await Assertions.Expect(page.Locator("tr[data-authority-id='nw-leics']")).ToContainTextAsync("LE67, LE65");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a hospital" }).PressAsync("Enter");
        await page.GetByLabel("Hospital id").FillAsync("coalville");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Coalville Community Hospital");
        await page.GetByLabel("Postcode", new() { Exact = true }).FillAsync("le67 4de");
        await page.GetByLabel("Housing authority of its district").SelectOptionAsync("nw-leics");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).PressAsync("Enter");
        await Assertions.Expect(page.Locator("tr[data-hospital-id='coalville']")).ToContainTextAsync("LE67 4DE");
        await Assertions.Expect(page.Locator("tr[data-hospital-id='coalville']")).ToContainTextAsync("North West Leicestershire Housing Options");
        await Chromium.ScreenshotAsync(page, "admin-district-direct");

        var file = Path.Combine(Directory.CreateTempSubdirectory("import").FullName, "bank-holidays.json");
        await File.WriteAllTextAsync(file, """[{ "date": "2035-01-01", "name": "New Year's Day" }, { "date": "2035-12-25", "name": "Christmas Day" }]""");
        await web.OpenAsync(page, "admin.html");
        await page.GetByLabel("Reference data files").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Imported 2 bank holidays.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Imported nothing. Already here (or removed by an admin) and left as they are: 2 bank holidays.");
    }

    [Fact]
    public async Task AManagerIsToldNoFundYearIsOpenAndOpensItFromTheDistrictDirectPage()
    {
        var officer = await web.SignedInPageAsync("dd-officer");
        await web.OpenAsync(officer, "district-direct.html");
        var callout = officer.Locator(".warning-callout");
        await Assertions.Expect(callout).ToContainTextAsync("No fund is open for this financial year");
        await Assertions.Expect(callout).ToContainTextAsync("every approval is refused until a District Direct manager opens it");
        await Assertions.Expect(officer.GetByLabel("Total in pounds")).ToHaveCountAsync(0);

        var manager = await web.SignedInPageAsync("dd-manager");
        await web.OpenAsync(manager, "district-direct.html");
        await Assertions.Expect(manager.Locator(".warning-callout")).ToContainTextAsync("No fund is open");
        await Assertions.Expect(manager.GetByLabel("Financial year")).Not.ToHaveValueAsync("");
        await Chromium.ScreenshotAsync(manager, "district-direct-no-fund-year");
        await manager.GetByLabel("Total in pounds").FillAsync("£120,000");
        await manager.GetByLabel("Total in pounds").PressAsync("Enter");

        await Assertions.Expect(manager.Locator("#flash")).ToContainTextAsync("fund is £120,000.00: £120,000.00 available.");
        await Assertions.Expect(manager.GetByText("No fund is open for this financial year")).ToHaveCountAsync(0);
        await Assertions.Expect(manager.Locator("#fund-box")).ToContainTextAsync("£120,000.00");
    }
}
