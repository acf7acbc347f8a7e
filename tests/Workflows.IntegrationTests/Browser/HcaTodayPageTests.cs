using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Browser;

/// <summary>An ECSS HCA on a phone: their case from an accepted offer, visits recorded in a few taps, and what an offer shows.</summary>
public sealed class HcaTodayPageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    /// <summary>The HCAs' names in seeds/staff.json, by staff id.</summary>
    public static string NameOf(string staffId) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "staff.json")))!.AsArray()
            .Single(m => m!["id"]!.GetValue<string>() == staffId)!["name"]!.GetValue<string>();

    /// <summary>"HH:MM" <paramref name="minutesAgo"/> minutes ago on the phone's own clock, as a time field takes it.</summary>
    public static Task<string> ClockAsync(IPage page, int minutesAgo) =>
        page.EvaluateAsync<string>("m => { const d = new Date(Date.now() - m * 60000); return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`; }", minutesAgo);

    /// <summary>Fills a case card's visit form ("HH:MM" times, see <see cref="ClockAsync"/>) and saves it.</summary>
    public static async Task RecordVisitAsync(ILocator card, string arrived, string left, params string[] care)
    {
        var form = card.Locator("form.visit-form");
        await form.GetByLabel("Arrived").FillAsync(arrived);
        await form.GetByLabel("Left").FillAsync(left);
        foreach (var c in care) await form.GetByLabel(c).CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Save visit" }).ClickAsync();
    }

    [Fact]
    public async Task HcaSeesTheirCaseAndRecordsAVisitOnAPhone()
    {
        var (caseId, hcaId) = await web.Host.AcceptedCaseAsync("Dorothy Hale");
        var patient = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", "breathless-syringe-driver.json")))!["patient"]!;
        var page = await web.SignedInPageAsync("hca", hcaId, phone: true);

        await web.OpenAsync(page, "hca.html");

        var card = page.Locator($"section[data-case-id='{caseId}']");
        await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Dorothy Hale" })).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator(".address")).ToHaveTextAsync($"{patient["address"]}, {patient["postcode"]}");
        await Assertions.Expect(card).ToContainTextAsync("Family: Claire (daughter)");
        await Assertions.Expect(card).ToContainTextAsync("+447700900789");
        await Assertions.Expect(card).Not.ToContainTextAsync("null");
        await card.GetByLabel("Personal care").CheckAsync();
        await card.GetByLabel("Emotional support").CheckAsync();
        await card.GetByLabel("Notes", new() { Exact = true }).FillAsync("Washed and repositioned; daughter reassured.");
        await Chromium.ScreenshotAsync(page, "hca-today");
        await Axe.CheckAsync(page, "HCA today on a phone");
        await card.GetByRole(AriaRole.Button, new() { Name = "Save visit" }).ClickAsync();

        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit recorded");
        await web.Host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "visit"));
        await card.GetByRole(AriaRole.Link, new() { Name = "Case timeline" }).ClickAsync();
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("personal-care, emotional-support. Washed and repositioned; daughter reassured.");
        await Axe.CheckAsync(page, "the case page for its HCA on a phone");
        await web.Host.CloseAsync(caseId);
    }

    /// <summary>"Save visit" stayed disabled after a visit until a reload; a correction (same arrival) was dropped while the page said recorded.</summary>
    [Fact]
    public async Task ASecondVisitAndACorrectedVisitAreSavedAndSaidSo()
    {
        var (caseId, hcaId) = await web.Host.AcceptedCaseAsync("Walter Briggs");
        var page = await web.SignedInPageAsync("hca", hcaId, phone: true);
        await web.OpenAsync(page, "hca.html");
        var card = page.Locator($"section[data-case-id='{caseId}']");

        var (arrived, left) = (await ClockAsync(page, 50), await ClockAsync(page, 20));

        await RecordVisitAsync(card, arrived, left, "Personal care");
        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit recorded");
        await RecordVisitAsync(card, await ClockAsync(page, 15), await ClockAsync(page, 5), "Comfort call");
        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit recorded");
        await RecordVisitAsync(card, arrived, left, "Personal care", "Continence care");

        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit corrected");
        var c = await web.Host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "visit-corrected"));
        c["ecss"]!["visits"]!.AsArray().Should().HaveCount(2);
        c["ecss"]!["visits"]!.AsArray().Should().Contain(v => v!["care"]!.AsArray().Count == 2, "the correction replaced what was first sent");
        await web.Host.CloseAsync(caseId);
    }

    /// <summary>Once the case was closed the HCA could not record their last visit (409): the visit at the death.</summary>
    [Fact]
    public async Task TheVisitAtADeathIsRecordedAfterTheCaseCloses()
    {
        var (caseId, hcaId) = await web.Host.AcceptedCaseAsync("Ivy Marsh");
        (await web.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", """{"reason":"died","notes":"Died at home"}"""))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        await web.Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed");
        var page = await web.SignedInPageAsync("hca", hcaId, phone: true);
        await web.OpenAsync(page, "hca.html");
        var card = page.Locator($"section[data-case-id='{caseId}']");
        await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Ivy Marsh" })).ToContainTextAsync("Closed: died");

        await card.GetByLabel("Notes", new() { Exact = true }).FillAsync("With the family when she died; stayed until the GP came.");
        await RecordVisitAsync(card, await ClockAsync(page, 40), await ClockAsync(page, 1), "Comfort call", "Emotional support");

        await Assertions.Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Visit recorded");
        await web.Host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["summary"]!.GetValue<string>().Contains("stayed until the GP came")));
        await Axe.CheckAsync(page, "HCA today with a closed case");
    }

    /// <summary>An HCA only offered a case could open the whole record by URL, although the offer says details come once they accept.</summary>
    [Fact]
    public async Task AnOfferedHcaSeesWhereButNotWhoUntilTheyAccept()
    {
        var (caseId, hcaId) = await web.Host.OfferedCaseAsync("Hidden Until Accepted");
        var page = await web.SignedInPageAsync("hca", hcaId, phone: true);

        await web.OpenAsync(page, "hca.html");
        var offer = page.Locator($".offers li[data-case-id='{caseId}']");
        await Assertions.Expect(offer).ToContainTextAsync("near");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Hidden Until Accepted");
        await web.OpenAsync(page, $"case.html?id={caseId}");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot open this case");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("once you accept");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Hidden Until Accepted");
        await web.Host.AcceptOfferAsync(caseId, hcaId);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Hidden Until Accepted");
        await web.Host.CloseAsync(caseId);
    }

    /// <summary>The case page showed the assigned HCA as a raw id ("hca-05").</summary>
    [Fact]
    public async Task TheCasePageNamesTheAssignedHca()
    {
        var (caseId, hcaId) = await web.Host.AcceptedCaseAsync("Named Carer");
        var page = await web.SignedInPageAsync("coordinator");

        await web.OpenAsync(page, $"case.html?id={caseId}");

        var ecss = page.Locator("dl", new() { HasText = "Assigned HCA" });
        await Assertions.Expect(ecss).ToContainTextAsync($"Assigned HCA{NameOf(hcaId)}");
        await Assertions.Expect(ecss).Not.ToContainTextAsync(hcaId);
        await web.Host.CloseAsync(caseId);
    }

    /// <summary>
    /// An HCA whose phone is not signed in taps the link in the offer text: they sign in, come back to the offer, and
    /// accept it with one tap; the case is theirs as if they had replied YES.
    /// </summary>
    [Fact]
    public async Task HcaAcceptsAnOfferFromTheLinkInTheTextOnAPhone()
    {
        var (caseId, hcaId) = await web.Host.OfferedCaseAsync("Link Patient");
        var patient = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", "breathless-syringe-driver.json")))!["patient"]!;
        var link = await web.Host.OfferLinkAsync(caseId);
        var page = await web.NewPageAsync(phone: true);

        await page.GotoAsync(link, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.WaitForURLAsync(u => u.Contains("sign-in.html"), new() { WaitUntil = WaitUntilState.Commit });
        await BrowserHost.SignInAsync(page, "hca", hcaId);

        page.Url.Should().Be(link, "signing in comes back to the offer the link opened");
        var offer = page.GetByRole(AriaRole.Region, new() { Name = $"Can you go? A crisis visit near {patient["postcode"]}" });
        await Assertions.Expect(offer).ToBeFocusedAsync();
        await Assertions.Expect(offer).Not.ToContainTextAsync(patient["address"]!.GetValue<string>());
        await Chromium.ScreenshotAsync(page, "hca-offer-link");
        await offer.GetByRole(AriaRole.Button, new() { Name = "Accept", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The visit is yours");
        var card = page.Locator($"section[data-case-id='{caseId}']");
        await Assertions.Expect(card.Locator(".address")).ToHaveTextAsync($"{patient["address"]}, {patient["postcode"]}");
        var c = await web.Host.WaitForCaseAsync(caseId, c => c["assignedHca"]?.GetValue<string>() == hcaId);
        c["timeline"]!.AsArray().Select(e => e!["summary"]!.GetValue<string>()).Should().Contain(s => s.EndsWith("accepted the offer from the link in the text."));
        await Axe.CheckAsync(page, "HCA today after answering from a link");
        await web.Host.CloseAsync(caseId);
    }

    [Fact]
    public async Task AnotherHcaDoesNotSeeTheCase()
    {
        var (caseId, hcaId) = await web.Host.AcceptedCaseAsync("Dorothy Hale");

        // Another HCA in the seeded pool, never the one who accepted.
        var other = hcaId == "hca-01" ? "hca-02" : "hca-01";
        var r = await web.Host.SendAsStaffAsync(HttpMethod.Get, "/api/ecss/my-cases", "hca", userId: other);

        r.StatusCode.Should().Be(HttpStatusCode.OK);
        var mine = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        mine["hcaId"]!.GetValue<string>().Should().Be(other);
        mine["cases"]!.AsArray().Select(c => c!["caseId"]!.GetValue<string>()).Should().NotContain(caseId);
        await web.Host.CloseAsync(caseId);
    }
}
