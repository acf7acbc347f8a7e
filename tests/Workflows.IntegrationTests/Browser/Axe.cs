using System.Text.Json;
using Microsoft.Playwright;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Browser;

/// <summary>
/// axe-core (npm, installed by `npm ci`) run in the page as it stands: no serious or critical violation. Evaluated
/// through the DevTools protocol, which the pages' Content-Security-Policy (scripts from the app only) does not block.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        var file = Path.Combine(RepoRoot.Path, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(file)) throw new InvalidOperationException($"axe-core is not installed at {file}: run `npm ci` in the repository root.");
        return File.ReadAllText(file);
    });

    public static async Task CheckAsync(IPage page, string what)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(Source.Value);
        var found = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 5).map(n => n.target.join(" ")).join(" | ")}`)
            """);
        found.EnumerateArray().Select(v => v.GetString()).Should().BeEmpty($"{what} ({page.Url}) has no serious or critical accessibility violation");
    }
}
