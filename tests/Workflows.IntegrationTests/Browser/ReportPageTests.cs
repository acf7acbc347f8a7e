using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Browser;

/// <summary>The board's pilot report in a real Chromium, over a host whose store holds only this scenario.</summary>
public sealed class ReportPageTests(BrowserHost web) : IClassFixture<BrowserHost>
{
    private async Task CaseAsync(int minutesAgo, string file, string? outcome)
    {
        var caseId = await web.Host.OpenCaseAsync(DateTimeOffset.UtcNow.AddMinutes(-minutesAgo), file: file);
        if (outcome is null) return;
        await web.Host.TriageAsync(caseId, outcome == "refer" ? """{"outcome":"refer","notes":"Befriending","serviceId":"vcfse-befriending"}""" : $$"""{"outcome":"{{outcome}}","notes":"Done"}""");
        await web.Host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() is "closed" or "referred" or "awaiting-hca" or "bridging");
    }

    [Fact]
    public async Task ReportShowsTheScenariosNumbersAndItsCsvMatchesTheJson()
    {
        // The scenario: five calls; two advice (a family member and a carer called), one referral to VCFSE befriending,
        // one to ECSS, one still waiting: three still open, the referred one included.
        await CaseAsync(90, "breathless-syringe-driver.json", "advice");
        await CaseAsync(60, "carer-exhausted-night.json", "advice");
        await CaseAsync(45, "pain-uncontrolled-hcp.json", "refer");
        await CaseAsync(30, "breathless-syringe-driver.json", "ecss");
        await CaseAsync(5, "pain-uncontrolled-hcp.json", null);
        var from = DateTime.UtcNow.AddDays(-6).ToString("yyyy-MM-dd");
        var to = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        var json = JsonNode.Parse(await (await web.Host.SendAsStaffAsync(HttpMethod.Get, $"/api/reports/pilot?from={from}&to={to}", "reporting"))
            .Content.ReadAsStringAsync())!;
        var page = await web.SignedInPageAsync("reporting");

        await page.GetByLabel("From").FillAsync(from);
        await page.GetByLabel("To (included)").FillAsync(to);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show report" }).ClickAsync();

        await Assertions.Expect(page.Locator("#period")).ToHaveTextAsync($"{from} to {to}");
        await Assertions.Expect(Value(page, "crisisCare.calls")).ToHaveAttributeAsync("data-value", "5");
        await Assertions.Expect(Value(page, "crisisCare.triageOutcomes.advice")).ToHaveAttributeAsync("data-value", "2");
        await Assertions.Expect(Value(page, "crisisCare.triageOutcomes.refer")).ToHaveAttributeAsync("data-value", "1");
        await Assertions.Expect(Value(page, "crisisCare.triageOutcomes.ecss")).ToHaveAttributeAsync("data-value", "1");
        await Assertions.Expect(Value(page, "crisisCare.triageOutcomes.awaiting-triage")).ToHaveAttributeAsync("data-value", "1");
        await Assertions.Expect(Value(page, "crisisCare.callToTriageMinutes.count")).ToHaveAttributeAsync("data-value", "4");
        await Assertions.Expect(Value(page, "measuresOfSuccess.communityReferrals")).ToHaveAttributeAsync("data-value", "1");
        await Assertions.Expect(Value(page, "crisisCare.stillOpen")).ToHaveAttributeAsync("data-value", "3");
        // Every number on the page is the API's number.
        var shown = await page.Locator("#report-table tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [r.dataset.key, r.querySelector('td.num').dataset.value])");
        shown.Select(r => (r[0], r[1])).Should().Equal(json["rows"]!.AsArray().Select(r => (r!["key"]!.GetValue<string>(), r["value"]!.GetValue<string>())));
        await Assertions.Expect(page.Locator("svg[role=img]").First).ToBeVisibleAsync();
        // Every chart label within its chart ("Bereavement signposting" was cut to "3ereavement signposting").
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("svg.chart")].flatMap(svg => {
              const box = svg.getBoundingClientRect();
              return [...svg.querySelectorAll("text")].filter(t => { const r = t.getBoundingClientRect(); return r.left < box.left - 0.5 || r.right > box.right + 0.5; })
                .map(t => t.textContent);
            })
            """);
        clipped.Should().BeEmpty();
        await Chromium.ScreenshotAsync(page, "pilot-report");
        await Axe.CheckAsync(page, "the pilot report");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        download.SuggestedFilename.Should().Be($"pilot-report-{from}-to-{to}.csv");
        var csv = Csv.Parse(await File.ReadAllTextAsync((await download.PathAsync())!));
        csv[0].Should().Equal("section", "measure", "value", "unit", "key", "from", "to");
        csv.Skip(1).Select(r => r[4]).Should().Equal(json["rows"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));
        foreach (var row in csv.Skip(1))
            row[2].Should().Be(JsonAt(json, row[4]), $"the CSV's {row[4]} is the JSON's");
    }

    private static ILocator Value(IPage page, string key) => page.Locator($"#report-table tr[data-key='{key}'] td.num");

    private static string JsonAt(JsonNode root, string path)
    {
        var node = path.Split('.').Aggregate((JsonNode?)root, (n, key) => n?[key]);
        return node is null ? "" : node.GetValue<double>().ToString(CultureInfo.InvariantCulture);
    }
}
