using Microsoft.Playwright;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests.Browser;

/// <summary>
/// Debian's headless Chromium driven by Playwright's .NET driver (it ships in the NuGet package; no browser download).
/// A missing Chromium fails the tests loudly: .ci/run installs it, so a skip would hide a broken CI.
/// </summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"Chromium is not installed at {Path}: run `apt-get install -y chromium` (.ci/run does).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Path,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots go: TestResults always; docs/screenshots too when UPDATE_SCREENSHOTS=1 (for the README).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var results = System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(results);
        var bytes = await page.ScreenshotAsync(new() { FullPage = true, Path = System.IO.Path.Combine(results, $"{name}.png") });
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1")
        {
            var docs = System.IO.Path.Combine(RepoRoot.Path, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(System.IO.Path.Combine(docs, $"{name}.png"), bytes);
        }
    }
}

/// <summary>The built local host as its own process over its own Azurite, with a Chromium, for one test class.</summary>
public class BrowserHost : IAsyncLifetime
{
    /// <summary>Settings the host process starts with, beyond the defaults.</summary>
    protected virtual IDictionary<string, string>? Settings => null;

    public Azurite Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright _playwright = null!;

    public Uri Pages => new(Host.BaseAddress, "/api/pages/");

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartAsync();
        var port = Azurite.FreePort();
        // Links in texts open this host, as Sms__LinkBaseUrl makes them open the Function App in Azure.
        var settings = new Dictionary<string, string>(Settings ?? new Dictionary<string, string>()) { ["Sms__LinkBaseUrl"] = $"http://127.0.0.1:{port}" };
        Host = await LocalHostProcess.StartAsync(Azurite, "pages" + Guid.NewGuid().ToString("N")[..8], port, settings);
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        if (Azurite is not null) await Azurite.DisposeAsync();
    }

    /// <summary>
    /// Goes to one of the staff pages, once its DOM and scripts are in (module scripts run before DOMContentLoaded). Not
    /// the load event: in CI a sign-in page whose requests had all finished ("NetworkIdle" fired) never fired load within
    /// 45 s, a Chromium-in-a-container hang Playwright has open reports of. What a test does next waits for its own element.
    /// </summary>
    public Task OpenAsync(IPage page, string pagePath) =>
        page.GotoAsync(new Uri(Pages, pagePath).ToString(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });

    /// <summary>A new tab signed in through the local dev sign-in page, as a person would.</summary>
    public async Task<IPage> SignedInPageAsync(string role, string? userId = null, bool phone = false)
    {
        var page = await NewPageAsync(phone);
        await OpenAsync(page, "sign-in.html");
        await SignInAsync(page, role, userId);
        return page;
    }

    /// <summary>A new tab nobody has signed in on yet, phone-sized or desktop.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(phone
            ? new() { ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true, AcceptDownloads = true }
            : new() { ViewportSize = new() { Width = 1280, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        // Generous: Chromium, the host, its engine and Azurite share CI's two cores with the other test project; a sign-in
        // under that load once took over 20 s. Each step still waits only for its own element or navigation.
        page.SetDefaultTimeout(45_000);
        return page;
    }

    /// <summary>Signs in on the sign-in page the tab shows, and waits until it has gone on (to where it was asked to return).</summary>
    public static async Task SignInAsync(IPage page, string role, string? userId = null)
    {
        await page.GetByLabel(Tests.RoleLabel(role), new() { Exact = true }).CheckAsync();
        if (userId is not null) await page.GetByLabel("Staff id").FillAsync(userId);
        // Committed is enough: what the test does next waits for its own elements. Waiting for the next page's load
        // event as well timed out once (20 s) with the host busy starting cases. Waited for from before the click: once
        // the URL has changed, a wait for a commit already past never ends.
        var away = page.WaitForURLAsync(u => !u.Contains("sign-in.html"), new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await away;
        }
        catch (TimeoutException e)
        {
            // The sign-in page says why it did not sign in (an id linked to nobody, a role the record lacks).
            throw new TimeoutException($"Signing in as {role} {userId} stayed on the sign-in page: {await page.InnerTextAsync("main")}", e);
        }
    }
}

public static class Tests
{
    public static string RoleLabel(string role) => role switch
    {
        "anp" => "SPOC ANP", "hca" => "ECSS HCA", "coordinator" => "ECSS coordinator",
        "dd-officer" => "District Direct officer", "dd-manager" => "District Direct manager", "reporting" => "Reporting", "admin" => "Admin",
        "community" => "Volunteer coordinator", "volunteer" => "Volunteer",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
