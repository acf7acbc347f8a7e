using Microsoft.Playwright;

namespace Workflows.IntegrationTests.Browser;

/// <summary>The volunteer coordinator adds an organisation and records a volunteer, in a real Chromium, keyboard first.</summary>
public sealed class VolunteersPageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task CoordinatorAddsAnOrganisationAndRecordsAVolunteerWhoseDbsCheckDecidesWhetherTheyAreOffered()
    {
        var page = await web.SignedInPageAsync("community");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("volunteers.html$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Volunteers", Level = 1 })).ToBeVisibleAsync();

        await page.GetByLabel("Organisation id").FillAsync("peak-befriending");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Peak Befriending");
        await page.GetByLabel("Phone (optional)").FillAsync("01629 000111");
        await page.GetByLabel("Phone (optional)").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved Peak Befriending.");
        await Assertions.Expect(page.Locator("tr[data-organisation-id='peak-befriending']")).ToContainTextAsync("Active");

        // Nothing chosen: the form's own checks, in the NHS.UK pattern, before anything is sent.
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save the volunteer" });
        await save.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var summary = page.Locator("form[aria-labelledby='volunteer-form-heading'] .error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary).ToContainTextAsync("Select at least one thing they offer.");
        await Assertions.Expect(page.Locator("#vol-offers-error")).ToContainTextAsync("Select at least one thing they offer.");
        await Axe.CheckAsync(page, "the volunteers page with errors");

        await page.GetByLabel("Volunteer", new() { Exact = true }).SelectOptionAsync("vol-01");
        await page.GetByLabel("Organisation", new() { Exact = true }).SelectOptionAsync("peak-befriending");
        await page.GetByLabel("Befriending").CheckAsync();
        await page.GetByLabel("Comfort calls").CheckAsync();
        await page.GetByLabel("Home postcode district").FillAsync("de4");
        await page.GetByLabel("Tuesday").CheckAsync();
        await page.GetByLabel("Training completed (optional)").FillAsync("2026-01-10");
        // Long ago: a check older than the service's DBS period takes the volunteer off offers.
        await page.GetByLabel("DBS check date (optional)").FillAsync("2019-05-01");
        await save.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved Jean Hollis.");
        var row = page.Locator("tr[data-staff-id='vol-01']");
        await Assertions.Expect(row).ToContainTextAsync("Befriending, Comfort calls");
        await Assertions.Expect(row).ToContainTextAsync("DE4; Tuesday");
        await Assertions.Expect(row).ToContainTextAsync("DBS check out of date");

        // Choosing the volunteer again fills the form with what is recorded; a new check puts them back on offers.
        await page.GetByLabel("Volunteer", new() { Exact = true }).SelectOptionAsync("vol-01");
        await Assertions.Expect(page.GetByLabel("Home postcode district")).ToHaveValueAsync("DE4");
        await page.GetByLabel("DBS check date (optional)").FillAsync(DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd"));
        await save.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved Jean Hollis.");
        await Assertions.Expect(page.Locator("tr[data-staff-id='vol-01'] .tag")).ToHaveTextAsync("Yes");
        await Chromium.ScreenshotAsync(page, "volunteers");
        await Axe.CheckAsync(page, "the volunteers page");
    }
}
