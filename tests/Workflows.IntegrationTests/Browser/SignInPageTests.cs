using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Workflows.Http;

namespace Workflows.IntegrationTests.Browser;

/// <summary>Signing in: locally with the dev sign-in, in Azure through the platform's session, and staying signed in.</summary>
public sealed class SignInPageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    /// <summary>An id linked to nobody (the old default "hca-1") signed in and showed an empty page; a role the record lacks likewise.</summary>
    [Fact]
    public async Task AStaffIdOrRoleTheDirectoryDoesNotHoldIsExplainedBesideTheField()
    {
        var context = await web.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await web.OpenAsync(page, "sign-in.html");
        await Axe.CheckAsync(page, "the sign-in page");

        await page.GetByLabel("ECSS HCA").CheckAsync();
        await Assertions.Expect(page.GetByLabel("Staff id")).ToHaveValueAsync("hca-01");
        await page.GetByLabel("Staff id").FillAsync("hca-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator(".error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#user-id-error")).ToContainTextAsync("No staff record is linked to the sign-in id \"hca-1\"");
        await Axe.CheckAsync(page, "the sign-in page with an error");
        await page.GetByLabel("Staff id").FillAsync("anp-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Sam Okafor's staff record does not hold the role ECSS HCA. It holds: SPOC ANP.");
        page.Url.Should().Contain("sign-in.html");

        await page.GetByLabel("Staff id").FillAsync("hca-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("hca\\.html$"));
        await Assertions.Expect(page.Locator(".header__who")).ToContainTextAsync("Amira Khan (ECSS HCA)");
    }

    /// <summary>Every new tab was signed out, and an expired or refused sign-in was not explained.</summary>
    [Fact]
    public async Task ANewTabStaysSignedInAndARefusedSignInIsExplained()
    {
        var first = await web.SignedInPageAsync("reporting");
        var tab = await first.Context.NewPageAsync();
        await web.OpenAsync(tab, "report.html");
        await Assertions.Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Pilot report" })).ToBeVisibleAsync();
        await Assertions.Expect(tab.Locator("#period")).ToBeVisibleAsync();
        await Axe.CheckAsync(tab, "the pilot report in a new tab");
        await web.OpenAsync(tab, "index.html");
        await Assertions.Expect(tab.GetByRole(AriaRole.Link, new() { Name = "Go to your page" })).ToBeVisibleAsync();
        await Axe.CheckAsync(tab, "the home page");

        // The app no longer accepts what this browser holds (here: a key from before the host's key changed).
        await tab.EvaluateAsync("() => { const s = JSON.parse(localStorage.getItem('crisis-care.staff')); s.key = 'a-key-from-before'; localStorage.setItem('crisis-care.staff', JSON.stringify(s)); }");
        await web.OpenAsync(tab, "report.html");

        await tab.WaitForURLAsync(new Regex("sign-in\\.html\\?return=report\\.html.*reason=signed-out"));
        await Assertions.Expect(tab.GetByRole(AriaRole.Main)).ToContainTextAsync("Your sign-in has ended or was not accepted");
    }

    /// <summary>
    /// In Azure there is no dev sign-in and no /.auth/me (the token store is off): the page asks the app who the platform
    /// signed in. The platform is played by headers every request carries, as App Service Authentication adds them.
    /// </summary>
    [Fact]
    public async Task InAzureTheSignInPageAsksTheAppWhoIsSignedIn()
    {
        async Task<IPage> PlatformSignedInAsync(string principal)
        {
            var context = await web.Browser.NewContextAsync();
            await context.SetExtraHTTPHeadersAsync(new Dictionary<string, string>
            {
                ["x-functions-key"] = LocalHostProcess.FunctionsKey, [StaffPrincipal.Header] = principal,
            });
            await context.RouteAsync("**/dev/pages-config", route => route.FulfillAsync(new() { Status = 404 }));
            await context.RouteAsync("**/.auth/me", route => route.FulfillAsync(new() { Status = 404 }));
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(45_000);
            return page;
        }

        var officer = await PlatformSignedInAsync(StaffPrincipal.Encode("dd-rdh-officer-1", "A. Hussain (Entra)", "dd-officer"));
        await web.OpenAsync(officer, "sign-in.html");
        await officer.WaitForURLAsync(new Regex("district-direct\\.html$"));
        await Assertions.Expect(officer.Locator(".header__who")).ToContainTextAsync("Amira Hussain (District Direct officer)");

        var stranger = await PlatformSignedInAsync(StaffPrincipal.Encode("0b1c2d3e-new-starter", "New Starter", "anp"));
        await web.OpenAsync(stranger, "sign-in.html");
        await Assertions.Expect(stranger.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account is not linked yet");
        await Assertions.Expect(stranger.Locator("#sign-in-id")).ToHaveTextAsync("0b1c2d3e-new-starter");
        await Axe.CheckAsync(stranger, "the Azure sign-in page for an unlinked account");
    }
}
