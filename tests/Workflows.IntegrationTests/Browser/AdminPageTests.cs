using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Workflows.IntegrationTests.Browser;

/// <summary>An admin adds a person, links their sign-in and puts them in the ECSS pool, in a real Chromium, keyboard first.</summary>
public sealed class AdminPageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task AdminAddsAnHcaWhoCanThenSignInAndPutsThemInThePool()
    {
        var page = await web.SignedInPageAsync("admin");
        await web.OpenAsync(page, "admin.html");
        await Assertions.Expect(page.Locator("tr[data-staff-id='hca-01']")).ToContainTextAsync("Amira Khan");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a person" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add a person" })).ToBeFocusedAsync();
        await page.GetByLabel("Staff id").FillAsync("hca-10");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nia Roberts");
        await page.GetByLabel("ECSS HCA").CheckAsync();
        await page.GetByLabel("Work phone").FillAsync("01332 123456");
        await page.GetByLabel("Sign-in ids").FillAsync("hca-10");
        await page.GetByLabel("Work phone").PressAsync("Enter");

        // NHS.UK pattern: a summary linking to the field, and the message beside the field itself.
        var summary = page.Locator("#editor .error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Work phone must be a UK mobile" })).ToHaveAttributeAsync("href", "#phone");
        await Assertions.Expect(page.Locator("#phone-error")).ToContainTextAsync("Work phone must be a UK mobile number");
        await Axe.CheckAsync(page, "the admin page with errors");
        await Assertions.Expect(page.GetByLabel("Work phone")).ToHaveAttributeAsync("aria-describedby", "phone-hint phone-error");
        (await web.Host.SendAsStaffAsync(HttpMethod.Get, "/api/admin/staff/hca-10", "admin")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);

        await summary.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Work phone")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("07700 900310");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved Nia Roberts.");
        await Assertions.Expect(page.Locator("tr[data-staff-id='hca-10']")).ToContainTextAsync("+447700900310");

        await page.GetByLabel("HCA", new() { Exact = true }).SelectOptionAsync("hca-10");
        await page.GetByLabel("Home postcode district").FillAsync("de22");
        await page.GetByRole(AriaRole.Button, new() { Name = "Put in the pool" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Nia Roberts is in the pool.");
        await Assertions.Expect(page.Locator("tr[data-pool-staff-id='hca-10']")).ToContainTextAsync("DE22");
        await Assertions.Expect(page.Locator("tr[data-pool-staff-id='hca-10']")).ToContainTextAsync("Yes");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Nia Roberts" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit Nia Roberts" })).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#editor .timeline")).ToContainTextAsync("Created by Morgan Hale");
        await Chromium.ScreenshotAsync(page, "admin");
        await Axe.CheckAsync(page, "the admin page");

        var hca = await web.SignedInPageAsync("hca", "hca-10", phone: true);
        await web.OpenAsync(hca, "hca.html");
        await Assertions.Expect(hca.Locator("#no-cases")).ToHaveTextAsync("You have no cases right now.");
        var pool = JsonNode.Parse(await (await web.Host.SendAsStaffAsync(HttpMethod.Get, "/api/admin/ecss/pool", "admin")).Content.ReadAsStringAsync())!;
        pool["hcas"]!.AsArray().Should().Contain(h => h!["staffId"]!.GetValue<string>() == "hca-10");
    }

    [Fact]
    public async Task ASignInWithNoStaffRecordIsToldToAskAnAdminWithTheIdTheyNeed()
    {
        // Linked this morning; the admin has since unlinked the sign-in (a typo fixed on the wrong record, say).
        var record = """{"name":"Omar Little","roles":["hca"],"phone":"+447700900311","team":"ECSS Derbyshire","identities":["hca-11"]}""";
        (await web.Host.SendAsStaffAsync(HttpMethod.Put, "/api/admin/staff/hca-11", "admin", record)).EnsureSuccessStatusCode();
        var page = await web.SignedInPageAsync("hca", "hca-11", phone: true);
        (await web.Host.SendAsStaffAsync(HttpMethod.Put, "/api/admin/staff/hca-11", "admin", record.Replace("[\"hca-11\"]", "[]"))).EnsureSuccessStatusCode();

        await web.OpenAsync(page, "hca.html");

        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Ask an admin of this service to link your account");
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("hca-11");
        await Axe.CheckAsync(page, "HCA today for a sign-in linked to nobody");
    }
}
